/**
 * Client for the trainer's HTTP job API (TRAINER_URL; docs/model-retraining.md, "Trainer API"):
 *
 *   POST /v1/jobs                 {idempotencyKey, manifestPath, baseModel} -> 200/201 {jobId, status}
 *   GET  /v1/jobs/{jobId}         -> {jobId, status: queued|running|succeeded|failed|cancelled, progress?, error?}
 *   POST /v1/jobs/{jobId}/cancel  -> 200/202
 *   GET  /v1/jobs/{jobId}/result  -> {model, version}   (once succeeded)
 *
 * Submit is idempotent by `idempotencyKey` (the retraining run's id): a retried submit gets the same job back.
 * No retry loop here: the calls run inside Temporal activities, whose retry policy retries (see
 * contracts/model-retraining.policy.ts). Every failure is a `TrainerError` whose `retryable` says whether the
 * same call could succeed later (timeouts, refused connections, 429, 5xx) or not (4xx, unparseable answers).
 * The URL may carry credentials; it never appears in a message.
 */
export type TrainingStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainingJob {
  jobId: string;
  status: TrainingStatus;
  /** 0..1 when the trainer reports it. */
  progress?: number;
  /** The trainer's reason for a failed job (a short text, no data). */
  error?: string;
}

export interface TrainedModel {
  model: string;
  version: string;
}

export interface SubmitRequest {
  idempotencyKey: string;
  manifestPath: string;
  baseModel: string;
}

export interface TrainerClient {
  submit(req: SubmitRequest): Promise<TrainingJob>;
  status(jobId: string): Promise<TrainingJob>;
  cancel(jobId: string): Promise<void>;
  result(jobId: string): Promise<TrainedModel>;
}

export class TrainerError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(message: string, retryable: boolean, status?: number) {
    super(message);
    this.name = 'TrainerError';
    this.retryable = retryable;
    this.status = status;
  }
}

/**
 * 15 s per call: every endpoint is bookkeeping on the trainer's side (the training itself runs elsewhere), so
 * a slower answer means a stuck trainer, and the activity's next attempt is the better wait.
 */
export const TRAINER_CALL_TIMEOUT_MS = 15_000;

const STATUSES: readonly TrainingStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export function createTrainerClient(opts: {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): TrainerClient {
  const base = new URL(opts.baseUrl);
  let authorization: string | undefined;
  if (base.username || base.password) {
    const creds = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
    authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
    base.username = '';
    base.password = '';
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? TRAINER_CALL_TIMEOUT_MS;

  async function call(method: 'GET' | 'POST', rel: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(new URL(rel, base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new TrainerError(
        timedOut
          ? `trainer did not answer ${method} /${rel} within ${timeoutMs} ms`
          : `trainer unreachable for ${method} /${rel}`,
        true,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new TrainerError(`trainer answered ${res.status} for ${method} /${rel}`, retryable, res.status);
    }
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new TrainerError(`trainer answer for ${method} /${rel} is not JSON`, false, res.status);
    }
  }

  const job = (raw: unknown, what: string): TrainingJob => {
    const o = (raw ?? {}) as Record<string, unknown>;
    if (typeof o.jobId !== 'string' || !o.jobId || !STATUSES.includes(o.status as TrainingStatus))
      throw new TrainerError(`trainer answer for ${what} has no jobId or a status it should not`, false);
    return {
      jobId: o.jobId,
      status: o.status as TrainingStatus,
      ...(typeof o.progress === 'number' ? { progress: o.progress } : {}),
      ...(typeof o.error === 'string' ? { error: o.error.slice(0, 200) } : {}),
    };
  };
  const jobPath = (jobId: string) => `v1/jobs/${encodeURIComponent(jobId)}`;

  return {
    async submit(req) {
      return job(await call('POST', 'v1/jobs', req), 'submit');
    },
    async status(jobId) {
      return job(await call('GET', jobPath(jobId)), 'status');
    },
    async cancel(jobId) {
      await call('POST', `${jobPath(jobId)}/cancel`);
    },
    async result(jobId) {
      const o = (await call('GET', `${jobPath(jobId)}/result`)) as Record<string, unknown>;
      if (typeof o.model !== 'string' || typeof o.version !== 'string' || !o.model || !o.version)
        throw new TrainerError('trainer result has no model name and version', false);
      if (!/^[A-Za-z0-9._-]+$/.test(o.model) || !/^[A-Za-z0-9._-]+$/.test(o.version))
        throw new TrainerError('trainer result names a model or version the model server cannot serve', false);
      return { model: o.model, version: o.version };
    },
  };
}
