'use strict';
/**
 * The encoder's ONNX Runtime session, on a thread of its own (src/adapters/sentence-encoder/encoder.ts starts it).
 *
 * Why a thread: onnxruntime-node runs each `session.run` as one synchronous native call on the calling thread, so
 * on the main thread an embedding held the worker's event loop (its activities, heartbeats, and the API where it
 * shares the process) for up to ~28 ms per 256-token window, and a long entry for its whole sequence of windows.
 * Here the main thread only tokenizes and posts token ids; the arithmetic runs beside it.
 *
 * Messages are handled one at a time in arrival order (each run is synchronous), so embeddings never interleave
 * and each text is still run on its own (batch of one): the same ids give the same bytes as on the main thread.
 *
 * Plain CommonJS on purpose: a worker thread starts with Node's own loader, before any TypeScript hook.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { InferenceSession, Tensor } = require('onnxruntime-node');

/** @type {import('onnxruntime-node').InferenceSession | undefined} */
let session;

async function embed(ids) {
  const shape = [1, ids.length];
  const out = await session.run({
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), shape),
    attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), shape),
  });
  const data = out.sentence_embedding && out.sentence_embedding.data;
  if (!(data instanceof Float32Array) || data.length !== workerData.dimensions) {
    throw new Error(`sentence encoder returned ${data ? data.length : 'no'} values, expected ${workerData.dimensions}`);
  }
  return new Float32Array(data);
}

let queue = Promise.resolve();

/** One request: { id, texts: number[][] } → { id, embeddings } or { id, error }. */
function handle(message) {
  queue = queue.then(async () => {
    try {
      const embeddings = [];
      for (const ids of message.texts) embeddings.push(await embed(ids));
      parentPort.postMessage(
        { id: message.id, embeddings },
        embeddings.map((e) => e.buffer),
      );
    } catch (err) {
      parentPort.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}

InferenceSession.create(workerData.modelPath, workerData.sessionOptions).then(
  (created) => {
    session = created;
    parentPort.on('message', (message) => {
      if (message.close) {
        queue = queue.then(() => session.release()).then(() => parentPort.close());
        return;
      }
      handle(message);
    });
    parentPort.postMessage({ ready: true });
  },
  (err) => parentPort.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) }),
);
