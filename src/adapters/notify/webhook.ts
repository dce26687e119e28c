import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../config-error';
import {
  type CrisisNotification,
  type Notifier,
  NotifyError,
  type NotifyErrorCode,
  serializeNotification,
} from './types';

/**
 * Staff alerting over a signed HTTPS webhook (pager bridges, chat relays, the on-call service).
 *
 * Each request is a JSON POST of the notification (allowed fields only) with:
 *   X-Wellflow-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *   X-Wellflow-Timestamp: <unix seconds>     (signed, so a captured request cannot be replayed later)
 *   X-Wellflow-Event:     <event>
 *   Idempotency-Key:      <notificationId>   (the same notification may arrive more than once)
 *
 * 2xx = delivered. 429, 5xx, refused connections and timeouts throw a retryable NotifyError; other 4xx and
 * redirects throw a non-retryable one. Credentials in the URL (https://user:pass@host/...) are sent as
 * Basic auth, because fetch refuses URLs that carry them. Error messages name the host only: never the
 * secret, the credentials, the path or query (which may hold a token), or the notification.
 */

export const SIGNATURE_HEADER = 'X-Wellflow-Signature';
export const TIMESTAMP_HEADER = 'X-Wellflow-Timestamp';
export const EVENT_HEADER = 'X-Wellflow-Event';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

// One attempt must fit well inside the notify activity's start-to-close timeout, so a hung receiver costs a
// bounded slice of an acknowledgement deadline and the activity's retry policy (not this client) decides when
// to try again. A receiver that only has to enqueue an alert answers in well under a second; 10 s leaves room
// for a cold start without letting a dead one stall escalation.
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookNotifierOptions {
  url: string;
  secret: string;
  /** Per-request limit, covering connect, response headers and body. Default DEFAULT_WEBHOOK_TIMEOUT_MS. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** Clock for the signature timestamp (ms since epoch); tests pin it. */
  now?: () => number;
}

/** `sha256=<hex>` over `"<timestamp>.<body>"`. */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * For receivers: true when `signature` is a valid `sha256=<hex>` HMAC of `"<timestamp>.<body>"` and the
 * timestamp is within `toleranceSec` (default 300) of `now` (ms since epoch, default Date.now()). The
 * comparison is constant-time. `body` must be the raw bytes received, not a re-serialisation.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Buffer,
  signature: string | undefined,
  opts: { toleranceSec?: number; now?: number } = {},
): boolean {
  const { toleranceSec = 300, now = Date.now() } = opts;
  if (timestamp === undefined || signature === undefined) return false;
  const ts = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(now / 1000 - Number(ts)) > toleranceSec) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret)
    .update(`${ts}.`)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function codeForStatus(status: number): NotifyErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'rejected';
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The signed POST every webhook channel makes (crisis alerts here, reminders in ./reminders.ts): `body` is the
 * JSON already reduced to its allowed fields, `event` goes in X-Wellflow-Event and `id` in Idempotency-Key.
 * Resolves on 2xx; throws a NotifyError otherwise (see createWebhookNotifier for which ones are retryable).
 */
export function createSignedWebhookPoster(opts: WebhookNotifierOptions) {
  if (!opts.secret) throw new ConfigError('webhook notifier: a signing secret is required');
  // Checked at startup, not at the first crisis. The URL itself stays out of the message (credentials).
  let parsed: URL;
  try {
    parsed = new URL(opts.url);
  } catch {
    throw new ConfigError('webhook notifier: the webhook URL is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(`webhook notifier: unsupported protocol ${parsed.protocol}`);
  }
  const authorization = parsed.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
    : undefined;
  parsed.username = '';
  parsed.password = '';
  const target = parsed.toString();
  const where = parsed.host; // all that messages may say about the destination
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const now = opts.now ?? Date.now;
  const fail = (code: NotifyErrorCode, message: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
    new NotifyError(code, `webhook ${where}: ${message}`, { channel: 'webhook', ...extra });

  return async function post(event: string, id: string, body: string): Promise<void> {
    const timestamp = Math.floor(now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhook(opts.secret, timestamp, body),
      [TIMESTAMP_HEADER]: String(timestamp),
      [EVENT_HEADER]: event,
      [IDEMPOTENCY_HEADER]: id,
    };
    if (authorization) headers.authorization = authorization;

    // One signal bounds the whole exchange, including reading the response body.
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      // redirect: 'manual': following one would re-send a signed alert to a host nobody configured
      // (and fetch turns a 301/302 POST into a GET); a redirect is a configuration error.
      res = await doFetch(target, { method: 'POST', headers, body, signal, redirect: 'manual' });
    } catch (err) {
      throw transportError(err, signal, fail, timeoutMs);
    }
    // Drain to free the socket; the answer's content is not needed. The status decides: a 2xx whose body
    // is cut off was still accepted by the receiver.
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    if (res.status >= 300 && res.status < 400)
      throw fail('redirect', `answered ${res.status} (redirects are not followed)`, { status: res.status });
    const code = codeForStatus(res.status);
    const retryAfterMs =
      code === 'rate_limited' || res.status === 503
        ? parseRetryAfter(res.headers.get('retry-after'), now())
        : undefined;
    throw fail(code, `answered ${res.status}`, { status: res.status, retryAfterMs });
  };
}

export function createWebhookNotifier(opts: WebhookNotifierOptions): Notifier {
  const post = createSignedWebhookPoster(opts);
  return {
    kind: 'webhook',
    notify: (n: CrisisNotification) => post(n.event, n.notificationId, serializeNotification(n)),
    async close() {},
  };
}

function transportError(
  err: unknown,
  signal: AbortSignal,
  fail: (code: NotifyErrorCode, message: string) => NotifyError,
  timeoutMs: number,
): NotifyError {
  const name = (err as Error | undefined)?.name;
  if (signal.aborted || name === 'TimeoutError' || name === 'AbortError') {
    return fail('timeout', `no answer within ${timeoutMs} ms`);
  }
  // undici reports "fetch failed" with the socket error as the cause; keep only its code (ECONNREFUSED, ...).
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : 'network error';
  return fail('unavailable', `not reachable (${detail})`);
}
