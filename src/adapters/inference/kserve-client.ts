import { InferenceError, codeForStatus, parseRetryAfter, safeExcerpt } from './errors';
import { type ParsedInference, parseInferResponse } from './kserve-response';

/**
 * Client for a model server speaking the Open Inference Protocol (KServe v2: Triton, Seldon MLServer,
 * OpenVINO Model Server, KServe runtimes).
 *
 * Request tensor convention (one photo per request):
 *   {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1],
 *                "data": ["<base64 of the JPEG>"], "parameters": {"content_type": "base64"}}]}
 * The encoded JPEG is sent as-is, not as a decoded pixel tensor: resizing/normalising for the network is
 * the model's own pre-processing (Triton ensembles/DALI, MLServer custom runtimes), so this client does
 * not need to know each model's input size or mean/std. `content_type: base64` is MLServer's codec hint;
 * Triton passes the string to the model, which base64-decodes it.
 * For the accepted output layouts see kserve-response.ts.
 *
 * No retry loop here, on purpose: calls run inside Temporal activities whose retry policy already retries
 * with backoff, survives worker restarts and is visible in the workflow history. Retrying here as well
 * would multiply attempts (inner x outer), hide time from the activity's timeouts, and hold a worker slot
 * while sleeping. Instead every failure is an `InferenceError` whose `retryable` flag (and `retryAfterMs`,
 * from Retry-After) tells the activity whether to let Temporal retry or to fail for good.
 *
 * The base URL may carry credentials (`https://user:pass@host/prefix`). They are moved into an
 * Authorization header (fetch refuses URLs with credentials) and the URL never appears in a message.
 */

/**
 * 10 s per infer call. A classifier answers for one 1024-px JPEG in 50-500 ms on CPU and around a second
 * when queued behind a batch; ten times that means the server is stuck, and a fresh attempt (maybe on
 * another replica) beats waiting. Keep it below the activity's startToCloseTimeout so a slow server shows
 * up as this retryable `timeout` rather than as an opaque activity timeout.
 */
export const DEFAULT_INFERENCE_TIMEOUT_MS = 10_000;

/** 2 s for readiness: the endpoints are trivial, a slow answer is itself a sign of trouble, and health checks must not hang. */
export const DEFAULT_READY_TIMEOUT_MS = 2_000;

/** Candidates kept per photo: the person confirms from a short list; the tail of a 1000-class softmax is noise. */
export const DEFAULT_MAX_ITEMS = 10;

/**
 * 1 MiB. An answer is a few KB (about 40 KB even with all 1000 ImageNet classes); a larger one is a
 * misbehaving server, and we would otherwise buffer whatever it sends.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface KServeClientOptions {
  /** e.g. `http://triton:8000` or `https://user:pass@host/serving`; a path prefix is kept. */
  baseUrl: string;
  model: string;
  /** A model version (Open Inference Protocol `/v2/models/{model}/versions/{version}`); absent: the server's default. */
  version?: string;
  timeoutMs?: number;
  readyTimeoutMs?: number;
  maxItems?: number;
  /** For tests or instrumentation; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface ModelServerReadiness {
  /** Server and model both ready. */
  ready: boolean;
  server: boolean;
  model: boolean;
  /** Human-readable, safe to show on a health page (no URL). */
  detail: string;
}

export interface ClassifyOptions {
  /** Cancels the call (e.g. when the activity is cancelled); the abort reason is rethrown as-is. */
  signal?: AbortSignal;
  /** Sent as the v2 request `id`, for correlating logs on the model server. */
  requestId?: string;
}

/**
 * What activities depend on: any model-server adapter (KServe v2 today; TF-Serving, Hugging Face or an
 * OpenAI-compatible vision endpoint could implement the same shape) normalised to `{model, items}`.
 */
export interface InferenceClient {
  readonly model: string;
  /** The version this client asks for; undefined = the server's default version. */
  readonly version?: string;
  ready(): Promise<ModelServerReadiness>;
  /** Throws `InferenceError` (see its `retryable`). */
  classify(image: Buffer, opts?: ClassifyOptions): Promise<ParsedInference>;
}

/** Where and how to reach the model server; shared by every call a client makes. */
interface Connection {
  base: URL;
  authorization: string | undefined;
  doFetch: typeof fetch;
}

interface RawAnswer {
  status: number;
  text: string;
  headers: Headers;
}

export function createKServeClient(opts: KServeClientOptions): InferenceClient {
  const { base, authorization } = parseBaseUrl(opts.baseUrl);
  const model = opts.model;
  if (!model) throw new Error('model server: a model name is required');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_INFERENCE_TIMEOUT_MS;
  const readyTimeoutMs = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
  const conn: Connection = { base, authorization, doFetch: opts.fetch ?? fetch };
  const version = opts.version;
  const modelPath = version
    ? `v2/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}`
    : `v2/models/${encodeURIComponent(model)}`;

  return {
    model,
    ...(version !== undefined ? { version } : {}),

    async ready(): Promise<ModelServerReadiness> {
      const [server, modelReady] = await Promise.all([
        probe(conn, 'v2/health/ready', readyTimeoutMs),
        probe(conn, `${modelPath}/ready`, readyTimeoutMs),
      ]);
      const detail = !server.ok
        ? `server not ready: ${server.why}`
        : !modelReady.ok
          ? `model "${model}" not ready: ${modelReady.why}`
          : `model "${model}" ready`;
      return { ready: server.ok && modelReady.ok, server: server.ok, model: modelReady.ok, detail };
    },

    async classify(image: Buffer, copts: ClassifyOptions = {}): Promise<ParsedInference> {
      if (image.length === 0)
        throw new InferenceError('bad_request', 'refusing to send an empty image to the model server');
      const body = JSON.stringify(inferRequest(image, copts.requestId));
      const res = await call(conn, 'POST', `${modelPath}/infer`, timeoutMs, body, copts.signal);
      return parseInferAnswer(res, model, maxItems);
    },
  };
}

/**
 * One HTTP call with a timeout, the body read up to MAX_RESPONSE_BYTES. Any status is returned as-is; a
 * failure to get an answer at all throws (see `callFailure`).
 */
async function call(
  conn: Connection,
  method: 'GET' | 'POST',
  relPath: string,
  callTimeoutMs: number,
  body?: string,
  signal?: AbortSignal,
): Promise<RawAnswer> {
  const { base, authorization, doFetch } = conn;
  const timeout = AbortSignal.timeout(callTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await doFetch(new URL(relPath, base), { method, headers, body, signal: combined });
    const text = await readCapped(res);
    return { status: res.status, text, headers: res.headers };
  } catch (err) {
    throw callFailure(err, { signal, timeout, method, relPath, callTimeoutMs });
  }
}

/** What a failed call throws: the caller's abort reason as-is, otherwise an `InferenceError`. */
function callFailure(
  err: unknown,
  c: { signal?: AbortSignal; timeout: AbortSignal; method: string; relPath: string; callTimeoutMs: number },
): unknown {
  if (c.signal?.aborted) return c.signal.reason; // the caller cancelled: not a model-server failure
  if (err instanceof InferenceError) return err;
  if (c.timeout.aborted) {
    return new InferenceError(
      'timeout',
      `model server did not answer ${c.method} /${c.relPath} within ${c.callTimeoutMs} ms`,
    );
  }
  // Only the error code (ECONNREFUSED, ENOTFOUND, ...): undici's messages can name the host and port.
  return new InferenceError(
    'unavailable',
    `model server unreachable (${networkCode(err)}) for ${c.method} /${c.relPath}`,
  );
}

/** One readiness endpoint: ready on 200, otherwise why not (never throws). */
async function probe(conn: Connection, relPath: string, timeoutMs: number): Promise<{ ok: boolean; why: string }> {
  try {
    const r = await call(conn, 'GET', relPath, timeoutMs);
    return { ok: r.status === 200, why: `answered ${r.status}` };
  } catch (err) {
    return { ok: false, why: err instanceof InferenceError ? err.message : 'request failed' };
  }
}

/** The v2 infer request: the JPEG as one base64 BYTES tensor (see the convention above). */
function inferRequest(image: Buffer, requestId: string | undefined) {
  return {
    ...(requestId ? { id: requestId } : {}),
    inputs: [
      {
        name: 'image',
        datatype: 'BYTES',
        shape: [1],
        data: [image.toString('base64')],
        parameters: { content_type: 'base64' },
      },
    ],
  };
}

/** A non-2xx status or a body that is not JSON becomes an `InferenceError`; the rest is kserve-response's job. */
function parseInferAnswer(res: RawAnswer, model: string, maxItems: number): ParsedInference {
  if (res.status < 200 || res.status > 299) throw httpError(res, model);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    throw new InferenceError('malformed_response', `model server answer for model "${model}" is not JSON`, {
      status: res.status,
    });
  }
  return parseInferResponse(parsed, model, maxItems);
}

function httpError(res: RawAnswer, model: string): InferenceError {
  let code = codeForStatus(res.status);
  const excerpt = safeExcerpt(res.text);
  // Triton answers 400 (not 404) for a model it does not know.
  if (code === 'bad_request' && /unknown model|model .*not found|not found.*model/i.test(excerpt))
    code = 'model_not_found';
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  return new InferenceError(
    code,
    `model server answered ${res.status} for model "${model}"${excerpt ? `: ${excerpt}` : ''}`,
    { status: res.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  );
}

/** Validates the URL and moves any user:password into a Basic Authorization header. */
function parseBaseUrl(raw: string): { base: URL; authorization: string | undefined } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('model server URL is not a valid URL'); // not echoed: it may carry credentials
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('model server URL must be http(s)');
  let authorization: string | undefined;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  // A trailing slash makes relative paths resolve under the prefix: /serving/ + v2/... = /serving/v2/...
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { base: url, authorization };
}

async function readCapped(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig(res.status);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooBig(res.status);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooBig(status: number): InferenceError {
  return new InferenceError('malformed_response', `model server answer is larger than ${MAX_RESPONSE_BYTES} bytes`, {
    status,
  });
}

function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'network error';
}
