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
// Closing lets the runs already posted finish; past this the thread is terminated between runs (a native run in
// progress cannot be interrupted) and closing stops waiting for it: the process is stopping.
const CLOSE_GRACE_MS = 5_000;

const threadError = (err: Error) => new Error(`sentence encoder thread: ${err.message}`, { cause: err });
const closedError = () => new Error('sentence encoder is closed');

/** Starts the thread; `ready` resolves once its session is open (a model the runtime cannot load rejects it). */
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
    worker.once('error', (err) => reject(threadError(err)));
    worker.once('exit', (code) =>
      reject(new Error(`sentence encoder thread stopped before its session opened (exit code ${code})`)),
    );
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
  worker.on('error', (err) => fail(threadError(err)));
  worker.on('exit', (code) => fail(new Error(`sentence encoder thread stopped (exit code ${code})`)));
  // Idle, the thread does not keep the process alive (a caller that never closes still exits); opening its
  // session or running, it does (a caller awaiting it is not left with an empty event loop).
  // A thread whose session did not open is not kept: its error is the caller's answer.
  const opened = ready.then(
    () => void worker.unref(),
    (err: unknown) => {
      void worker.terminate();
      throw err;
    },
  );
  return { worker, pending, ready: opened };
}

/**
 * The session on its own thread. Should the thread stop (an uncaught error in it), the runs in flight fail (the
 * screening step is retried) and the next run starts a new thread, instead of every later screening failing.
 * Once closing, runs are refused and no thread is started again. `threadFile` is session-thread.js; a test
 * passes a thread that stops on cue to check those paths.
 */
export async function startSessionThread(
  modelPath: string,
  sessionOptions: InferenceSession.SessionOptions,
  threadFile = THREAD_FILE,
): Promise<SessionThread> {
  let nextId = 0;
  let closing: Promise<void> | undefined;
  let current: ReturnType<typeof spawn> | undefined;
  let starting: Promise<ReturnType<typeof spawn>> | undefined;
  const start = () => {
    const t = spawn(threadFile, modelPath, sessionOptions, () => {
      if (current === t) current = undefined;
    });
    current = t;
    // One start at a time: runs that find no thread share the one being started.
    starting = t.ready.then(
      () => t,
      (err: unknown) => {
        if (current === t) current = undefined;
        throw err;
      },
    );
    void starting.finally(() => (starting = undefined)).catch(() => {});
    return starting;
  };
  await start();

  async function close(): Promise<void> {
    const t = current;
    if (!t) return;
    const exited = new Promise<void>((resolve) => t.worker.once('exit', () => resolve()));
    t.worker.ref();
    t.worker.postMessage({ close: true });
    let cut: NodeJS.Timeout | undefined;
    const stopWaiting = new Promise<void>((resolve) => {
      cut = setTimeout(() => {
        void t.worker.terminate();
        resolve();
      }, CLOSE_GRACE_MS);
    });
    await Promise.race([exited, stopWaiting]);
    clearTimeout(cut);
  }

  return {
    async run(texts) {
      if (closing) throw closedError();
      const t = current && !starting ? current : await (starting ?? start());
      if (closing) throw closedError();
      const id = nextId++;
      return new Promise<Float32Array[]>((resolve, reject) => {
        t.pending.set(id, { resolve, reject });
        t.worker.ref();
        t.worker.postMessage({ id, texts });
      });
    },
    close() {
      closing ??= (starting ?? Promise.resolve()).catch(() => {}).then(close);
      return closing;
    },
  };
}
