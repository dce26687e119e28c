import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import { DIMENSIONS } from './model-files';

/** The encoder's session as this thread sees it: token ids in, embeddings out, computed on session-thread.js. */
export interface SessionThread {
  /** One embedding per token-id list, in order; each list is run on its own. */
  run(texts: number[][]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

type Reply = { id: number; embeddings?: Float32Array[]; error?: string };
type Pending = { resolve: (e: Float32Array[]) => void; reject: (err: Error) => void };

const THREAD_FILE = path.join(__dirname, 'session-thread.js');
// Closing waits for the runs already posted; past this a stuck native call is cut off (the process is stopping).
const CLOSE_GRACE_MS = 5_000;

/** Starts the thread and resolves once its session is open; a model the runtime cannot load rejects here. */
function spawn(
  threadFile: string,
  modelPath: string,
  sessionOptions: InferenceSession.SessionOptions,
  onExit: (err: Error) => void,
) {
  const worker = new Worker(threadFile, { workerData: { modelPath, sessionOptions, dimensions: DIMENSIONS } });
  const pending = new Map<number, Pending>();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready?: boolean; error?: string }) =>
      m.ready ? resolve() : reject(new Error(`sentence encoder: ${m.error ?? 'the session did not open'}`)),
    );
    worker.once('error', reject);
  });
  worker.on('message', (m: Reply) => {
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error !== undefined) p.reject(new Error(`sentence encoder: ${m.error}`));
    else p.resolve(m.embeddings!);
  });
  const fail = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    onExit(err);
  };
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => fail(new Error(`sentence encoder thread stopped (exit code ${code})`)));
  // Idle, the thread does not keep the process alive (a caller that never closes still exits); opening its
  // session or running, it does (a caller awaiting it is not left with an empty event loop).
  return { worker, pending, ready: ready.then(() => void worker.unref()) };
}

/**
 * The session on its own thread. Should the thread stop (an uncaught error in it), the runs in flight fail (the
 * screening step is retried) and the next run starts a new thread, instead of every later screening failing.
 * `threadFile` is session-thread.js; a test passes a thread that stops on cue to check that path.
 */
export async function startSessionThread(
  modelPath: string,
  sessionOptions: InferenceSession.SessionOptions,
  threadFile = THREAD_FILE,
): Promise<SessionThread> {
  let nextId = 0;
  let closing = false;
  let current: ReturnType<typeof spawn> | undefined;
  const start = async () => {
    const t = spawn(threadFile, modelPath, sessionOptions, () => {
      if (current === t) current = undefined;
    });
    current = t;
    await t.ready;
    return t;
  };
  await start();

  return {
    async run(texts) {
      const t = current ?? (await start());
      const id = nextId++;
      return new Promise<Float32Array[]>((resolve, reject) => {
        t.pending.set(id, { resolve, reject });
        t.worker.ref();
        t.worker.postMessage({ id, texts });
      });
    },
    async close() {
      if (closing || !current) return;
      closing = true;
      const { worker } = current;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage({ close: true });
      const cut = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(cut);
    },
  };
}
