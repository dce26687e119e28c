import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { verify } from 'hono/jwt';
import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { MAX_UPLOAD_BYTES } from '../adapters/images/validate';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Caller } from './auth';
import type { AppEnv } from './deps';
import { AppError } from './errors';

/**
 * Per-user and per-IP request rate limits, and per-route request body limits.
 *
 * Mount `createRateLimiter(...).middleware` on '*' BEFORE the body limit and auth (see the mount lines in
 * the PR notes): an over-limit client is then turned away before its body (up to 10 MB) is buffered and
 * before any token check or database work, and a flood of bad tokens is still limited per IP. Because it
 * runs before auth, it verifies the bearer token itself (one HMAC, pass `jwtSecret`) to find the user; a
 * forged `sub` must never spend another person's budget, so an unverifiable token counts as anonymous (auth
 * answers 401 right after). Mounted after auth instead, it uses `c.get('caller')` and needs no secret.
 */

type LimitConfig = Pick<
  Config,
  'REDIS_URL' | 'RATE_LIMIT_USER_PER_MIN' | 'RATE_LIMIT_IP_PER_MIN' | 'RATE_LIMIT_BURST' | 'TRUST_PROXY'
>;

export interface RateLimiterOptions {
  /** Window of the per-minute quotas; 60 in production, a second or two in tests. */
  durationSeconds?: number;
  /** Window over which the burst allowance refills; default 10 windows, so the sustained rate stays close to the quota. */
  burstDurationSeconds?: number;
  /** Redis key prefix; tests use a unique one per run so runs never share counters. */
  keyPrefix?: string;
  /** HS256 secret to identify the caller when mounted before auth. Without it only `c.get('caller')` is used. */
  jwtSecret?: string;
}

export interface RateLimiter {
  middleware: MiddlewareHandler<AppEnv>;
  /** Resolves true once the shared store is connected (at once in memory), false after `timeoutMs`. Optional: until then limits are per process. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export type LimitKind = 'user' | 'ip';

/** Monitoring, docs and the Temporal UI's codec calls (bursty, staff-only, already authenticated) are never limited. */
export function isExempt(path: string): boolean {
  return (
    path.startsWith('/health') ||
    path.startsWith('/ready') ||
    path.startsWith('/docs') ||
    path.startsWith('/codec/') ||
    path === '/ping' ||
    path === '/metrics' ||
    path === '/openapi.json'
  );
}

/**
 * The limiter key for an address: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64. One
 * subscriber usually holds a whole /64 and can rotate through it freely, so per-address IPv6 keys would not
 * limit anything. Returns undefined for anything that is not an IP address.
 */
export function ipKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip); // "[::1]:443"
  if (bracketed) ip = bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(ip); // "1.2.3.4:5678" (some proxies add the port)
  if (v4WithPort) ip = v4WithPort[1]!;
  ip = ip.replace(/%.*$/, ''); // zone id: fe80::1%eth0
  if (/^::ffff:/i.test(ip) && isIPv4(ip.slice(7))) ip = ip.slice(7);
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return undefined;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const groups = (s: string) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The client address. X-Forwarded-For is client-writable, so it is read only when TRUST_PROXY says a proxy
 * in front sets it (and that proxy must overwrite, not append to, a client-sent header: we take the first
 * entry). Without a socket (app.request() in tests) and without a trusted header, all such requests share
 * the key 'unknown'.
 */
export function clientIp(input: {
  trustProxy: boolean;
  forwardedFor?: string | undefined;
  socketAddress?: string | undefined;
}): string {
  if (input.trustProxy && input.forwardedFor) {
    const first = ipKey(input.forwardedFor.split(',')[0]);
    if (first) return first;
  }
  return ipKey(input.socketAddress) ?? 'unknown';
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address; // throws without a Node socket (c.env is undefined under app.request())
  } catch {
    return undefined;
  }
}

export interface LimitResult {
  limit: LimitKind;
  /** The quota advertised in RateLimit-Limit (the burst allowance is extra and not advertised). */
  points: number;
  res: RateLimiterRes;
  rejected: boolean;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Combines the user and IP outcomes. Rejected by either → 429, naming the limit with the longer wait (the
 * client must wait for both). Otherwise the headers describe the limit with the fewest requests left, the
 * one the client will hit first (IETF draft-ietf-httpapi-ratelimit-headers names; Reset is delta seconds).
 */
export function decide(results: LimitResult[]): {
  headers: Record<string, string>;
  rejected?: { limit: LimitKind; retryAfterSeconds: number };
} {
  const rejected = results.filter((r) => r.rejected).sort((a, b) => b.res.msBeforeNext - a.res.msBeforeNext)[0];
  const shown =
    rejected ??
    [...results].sort(
      (a, b) => a.res.remainingPoints - b.res.remainingPoints || b.res.msBeforeNext - a.res.msBeforeNext,
    )[0];
  if (!shown) return { headers: {} };
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(shown.points),
    'RateLimit-Remaining': String(rejected ? 0 : Math.max(0, shown.res.remainingPoints)),
    'RateLimit-Reset': String(seconds(shown.res.msBeforeNext)),
  };
  if (!rejected) return { headers };
  const retryAfterSeconds = Math.max(1, seconds(rejected.res.msBeforeNext));
  headers['RateLimit-Reset'] = String(retryAfterSeconds);
  headers['Retry-After'] = String(retryAfterSeconds);
  return { headers, rejected: { limit: rejected.limit, retryAfterSeconds } };
}

interface Consumer {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
}

async function bearerSub(c: Context, secret: string): Promise<string | undefined> {
  const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '');
  if (!m) return undefined;
  try {
    const payload = await verify(m[1]!, secret, 'HS256'); // checks exp too
    return typeof payload.sub === 'string' && payload.sub.length > 0 && payload.sub.length <= 128
      ? payload.sub
      : undefined;
  } catch {
    return undefined; // invalid or expired: auth answers 401; until then this is an anonymous request
  }
}

export function createRateLimiter(config: LimitConfig, logger: Logger, options: RateLimiterOptions = {}): RateLimiter {
  const duration = options.durationSeconds ?? 60;
  const burstDuration = options.burstDurationSeconds ?? duration * 10;
  const prefix = options.keyPrefix ?? 'wellflow:rl';
  const userPoints = config.RATE_LIMIT_USER_PER_MIN;
  const ipPoints = config.RATE_LIMIT_IP_PER_MIN;

  let redis: Redis | undefined;
  // When the last warning was logged: at most one a minute while degraded, not one per request. A slow
  // command (commandTimeout) leaves the client 'ready', so no event would tell us it recovered: re-warn instead.
  let warnedAt = 0;
  const warnDegraded = (reason: string, err?: unknown) => {
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    logger.warn(
      { reason, err: err ? String(err) : undefined },
      'rate limiter: Redis unavailable, limiting per process in memory until it is back (fail open)',
    );
  };

  /**
   * Redis-backed when REDIS_URL is set so all API processes share one budget; in memory otherwise.
   *
   * Fail open: if Redis is down, slow or still connecting, each call falls through to an in-memory
   * `insuranceLimiter` with the same quota. The alternative, failing closed, would turn a Redis outage (a
   * cache-like dependency that holds no data we need) into a full API outage for everyone; worst case while
   * degraded, each process enforces the quota on its own, so a client gets N processes' worth of requests.
   */
  const limiter = (name: string, points: number, seconds: number): RateLimiterMemory | RateLimiterRedis => {
    const keyPrefix = `${prefix}:${name}`;
    if (!redis) return new RateLimiterMemory({ keyPrefix, points, duration: seconds });
    const client = redis;
    class InsuranceLimiter extends RateLimiterMemory {
      override consume(key: string | number, pointsToConsume?: number, opts?: { [key: string]: any }) {
        // 'wait'/'connecting' on the very first connection is start-up, not an outage.
        if (client.status !== 'wait' && client.status !== 'connecting')
          warnDegraded(`redis command failed or not ready (status ${client.status})`);
        return super.consume(key, pointsToConsume, opts);
      }
    }
    return new RateLimiterRedis({
      storeClient: client,
      keyPrefix,
      points,
      duration: seconds,
      // Not ready → go straight to the insurance limiter instead of queueing behind a dead connection.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new InsuranceLimiter({ keyPrefix: `${keyPrefix}:local`, points, duration: seconds }),
    });
  };

  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, {
      // Commands fail at once while disconnected (and so use the insurance limiter) instead of piling up.
      enableOfflineQueue: false,
      // A Redis that accepts connections but does not answer must not stall every request.
      commandTimeout: 500,
      maxRetriesPerRequest: 1,
    });
    // Without a listener ioredis prints every reconnect failure as an unhandled error event.
    redis.on('error', (err: Error) => warnDegraded('redis error', err.message));
    redis.on('ready', () => {
      if (warnedAt) logger.info('rate limiter: Redis is back, limits are shared again');
      warnedAt = 0;
    });
  }

  const ipLimiter: Consumer = limiter('ip', ipPoints, duration);
  // The burst allowance is a second, slower-refilling bucket that is only drawn from once the per-minute
  // quota is spent: up to BURST extra at once, but only about BURST/10 extra per minute sustained.
  const userLimiter: Consumer =
    config.RATE_LIMIT_BURST > 0
      ? new BurstyRateLimiter(
          limiter('user', userPoints, duration),
          limiter('user-burst', config.RATE_LIMIT_BURST, burstDuration),
        )
      : limiter('user', userPoints, duration);

  const consume = async (
    limit: LimitKind,
    consumer: Consumer,
    key: string,
    points: number,
  ): Promise<LimitResult | undefined> => {
    try {
      return { limit, points, res: await consumer.consume(key), rejected: false };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { limit, points, res: err, rejected: true };
      // Only reachable if the insurance limiter itself fails; same reasoning as above: let the request in.
      warnDegraded('limiter error', err);
      return undefined;
    }
  };

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (isExempt(c.req.path)) return next();
    const ip = clientIp({
      trustProxy: config.TRUST_PROXY,
      forwardedFor: c.req.header('X-Forwarded-For'),
      socketAddress: socketAddress(c),
    });
    const sub =
      (c.get('caller') as Caller | undefined)?.sub ??
      (options.jwtSecret ? await bearerSub(c, options.jwtSecret) : undefined);
    // Both in parallel: one store round trip of latency. A signed-in request counts against its user and its IP.
    const results = (
      await Promise.all([
        consume('ip', ipLimiter, ip, ipPoints),
        sub === undefined ? undefined : consume('user', userLimiter, sub, userPoints),
      ])
    ).filter((r): r is LimitResult => r !== undefined);
    const { headers, rejected } = decide(results);
    if (rejected) {
      const who = rejected.limit === 'user' ? 'this account' : 'this address';
      throw new AppError(
        'rate_limited',
        'rate_limited',
        `Too many requests from ${who}; retry in ${rejected.retryAfterSeconds} s`,
        { ...rejected },
        429,
        headers,
      );
    }
    await next();
    // After next(): c.res is final here, including error responses built by onError.
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };

  return {
    middleware,
    async ready(timeoutMs = 5_000) {
      const client = redis;
      if (!client || client.status === 'ready') return true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), timeoutMs);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        client.on('ready', onReady);
      });
    },
    async close() {
      if (!redis) return;
      const client = redis;
      redis = undefined;
      // QUIT needs a live connection; a client still reconnecting is just torn down.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

/* ------------------------------------------------------------------------------------------------------
 * Body limits. app.ts today applies 1 MB to every request and 10 MB + 256 KB to any request whose
 * Content-Type says multipart. Two gaps: (1) any route, not just the photo upload, buffers 10 MB when the
 * client merely claims multipart; (2) a valid 500-meal batch (2,000 characters each, 3 bytes per character
 * for non-Latin text) can exceed 1 MB. This table sizes each route to its largest valid body.
 * ---------------------------------------------------------------------------------------------------- */

export const BODY_LIMITS = {
  /** Largest valid JSON body elsewhere is a 10,000-character journal entry: <= 30 KB as UTF-8. */
  json: 64 * 1024,
  /** 500 items x (2,000 chars x 3 bytes + ~150 bytes of fields) ≈ 3.1 MB. */
  batch: 4 * 1024 * 1024,
  /** Codec calls carry base64 payloads (Temporal itself rejects payloads over 2 MB; base64 adds a third). */
  codec: 4 * 1024 * 1024,
  /** A 10 MB photo plus a few form fields and multipart framing. */
  upload: MAX_UPLOAD_BYTES + 256 * 1024,
} as const;

export type BodyLimitKind = keyof typeof BODY_LIMITS;

/** Which limit a request gets. The upload limit needs both the upload route and a multipart body. */
export function bodyLimitFor(method: string, path: string, contentType: string | undefined): BodyLimitKind {
  const m = method.toUpperCase();
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (m === 'POST' && p === '/v1/meals' && (contentType ?? '').toLowerCase().startsWith('multipart/form-data'))
    return 'upload';
  if (m === 'POST' && p === '/v1/meals/batch') return 'batch';
  if (p.startsWith('/codec/')) return 'codec';
  return 'json';
}

/** One middleware applying `bodyLimitFor`; errors use the contract's envelope (413 payload_too_large). */
export function bodyLimits(): MiddlewareHandler<AppEnv> {
  const what: Record<BodyLimitKind, string> = {
    json: 'request body',
    batch: 'batch',
    codec: 'codec request',
    upload: 'upload',
  };
  const handlers = Object.fromEntries(
    (Object.keys(BODY_LIMITS) as BodyLimitKind[]).map((kind) => [
      kind,
      bodyLimit({
        maxSize: BODY_LIMITS[kind],
        onError: () => {
          throw new AppError(
            'payload_too_large',
            'payload_too_large',
            `The ${what[kind]} is larger than ${BODY_LIMITS[kind]} bytes`,
            { maxBytes: BODY_LIMITS[kind] },
          );
        },
      }),
    ]),
  ) as Record<BodyLimitKind, MiddlewareHandler>;
  return (c, next) => handlers[bodyLimitFor(c.req.method, c.req.path, c.req.header('content-type'))](c, next);
}
