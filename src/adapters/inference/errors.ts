/**
 * Failures talking to a model server, classified for Temporal's retry policy.
 *
 * `retryable` answers one question: could the same request succeed later without anyone changing
 * anything? Timeouts, refused connections, 429 and 5xx: yes (the server is busy, restarting or loading
 * the model). 4xx and unparseable answers: no (our request or the deployment is wrong; retrying only burns
 * the retry budget and delays asking the person what they ate).
 *
 * Messages never contain image bytes or the server's URL (which may carry credentials).
 */
export type InferenceErrorCode =
  | 'timeout'
  | 'unavailable'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'unauthorized'
  | 'model_not_found'
  | 'malformed_response';

const RETRYABLE: ReadonlySet<InferenceErrorCode> = new Set(['timeout', 'unavailable', 'rate_limited', 'server_error']);

export class InferenceError extends Error {
  readonly code: InferenceErrorCode;
  readonly retryable: boolean;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** From a Retry-After header on 429/503: a hint for the activity's next retry delay. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: InferenceErrorCode,
    message: string,
    extra: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'InferenceError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
  }
}

/** The code for an HTTP error status. */
export function codeForStatus(status: number): InferenceErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'model_not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

/**
 * A short, safe excerpt of a server's error body for the message: at most 200 characters, with any long
 * base64-looking run (a server echoing our input tensor back) cut out.
 */
export function safeExcerpt(body: string): string {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') {
      text = (parsed as { error: string }).error; // KServe v2 error shape: {"error": "..."}
    }
  } catch {
    // not JSON: use the raw text
  }
  text = text
    .replace(/[A-Za-z0-9+/=_-]{64,}/g, '[…]')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
