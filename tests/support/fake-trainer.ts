import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server speaking the trainer job API (src/adapters/trainer/client.ts): submit (idempotent by
 * key), status, cancel, result. A job "trains" for `runningPolls` status polls, then succeeds with
 * `candidate` or, with `failAfterPolls`, fails mid-way. Counts submits so tests can prove none was repeated.
 */
export interface FakeTrainer {
  readonly url: string;
  /** POST /v1/jobs requests received (a retried submit counts again). */
  submitCalls: number;
  /** Jobs created (distinct idempotency keys). */
  readonly jobs: Map<string, { key: string; manifestPath: string; polls: number; status: string }>;
  /** Status polls a job answers `running` before it ends. */
  runningPolls: number;
  /** When set, a job fails after this many polls instead of succeeding. */
  failAfterPolls: number | undefined;
  candidate: { model: string; version: string };
  cancelled: string[];
  close(): Promise<void>;
}

export async function startFakeTrainer(): Promise<FakeTrainer> {
  const byKey = new Map<string, string>();
  const state = {
    submitCalls: 0,
    jobs: new Map<string, { key: string; manifestPath: string; polls: number; status: string }>(),
    runningPolls: 3,
    failAfterPolls: undefined as number | undefined,
    candidate: { model: 'food-classifier', version: '2' },
    cancelled: [] as string[],
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/v1/jobs') {
      state.submitCalls += 1;
      const r = JSON.parse(body || '{}') as { idempotencyKey?: string; manifestPath?: string };
      if (!r.idempotencyKey || !r.manifestPath) return json(res, 400, { error: 'idempotencyKey and manifestPath' });
      let jobId = byKey.get(r.idempotencyKey);
      if (!jobId) {
        jobId = `job-${state.jobs.size + 1}`;
        byKey.set(r.idempotencyKey, jobId);
        state.jobs.set(jobId, { key: r.idempotencyKey, manifestPath: r.manifestPath, polls: 0, status: 'queued' });
      }
      return json(res, 201, { jobId, status: state.jobs.get(jobId)!.status });
    }
    const m = /^\/v1\/jobs\/([^/]+)(\/cancel|\/result)?$/.exec(path);
    const job = m ? state.jobs.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !job) return json(res, 404, { error: 'no such job' });
    const jobId = decodeURIComponent(m[1]!);
    if (req.method === 'POST' && m[2] === '/cancel') {
      if (job.status === 'queued' || job.status === 'running') job.status = 'cancelled';
      state.cancelled.push(jobId);
      return json(res, 202, { jobId, status: job.status });
    }
    if (req.method === 'GET' && m[2] === '/result') {
      return job.status === 'succeeded' ? json(res, 200, state.candidate) : json(res, 409, { error: 'not finished' });
    }
    if (req.method === 'GET' && m[2] === undefined) {
      if (job.status === 'queued' || job.status === 'running') {
        job.polls += 1;
        if (state.failAfterPolls !== undefined && job.polls > state.failAfterPolls) job.status = 'failed';
        else job.status = job.polls > state.runningPolls ? 'succeeded' : 'running';
      }
      const error = job.status === 'failed' ? { error: 'out of GPU memory at epoch 3' } : {};
      return json(res, 200, {
        jobId,
        status: job.status,
        progress: Math.min(1, job.polls / (state.runningPolls + 1)),
        ...error,
      });
    }
    return json(res, 405, { error: 'method not allowed' });
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
