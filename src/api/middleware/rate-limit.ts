import type { Context, MiddlewareHandler, Next } from 'hono';
import { BurstyRateLimiter, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Caller } from '../auth';
import { AppError } from '../errors';
import type { AppEnv, RateLimiter } from '../types';
import { clientIpOf } from './client-ip';
import { createLimiterStore } from './rate-limit-store';

/**
 * Per-IP and per-user request rate limits, as two middlewares sharing one decision per request.
 *
 * `perIp` is mounted on '*' before auth and the body limit: an over-limit address is turned away before its
 * token is checked or its body (up to 10 MB) is buffered, and a flood of bad tokens is still limited.
 * `perUser` is mounted on /v1 right after auth and reads the caller auth found (`c.get('caller')`): the token
 * is checked once, by auth, and a forged `sub` never reaches the limiter (auth answers 401 first).
 * Every limited response carries the RateLimit headers of the limit the client will hit first.
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
}

type LimitKind = 'user' | 'ip';

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

export function createRateLimiter(config: LimitConfig, logger: Logger, options: RateLimiterOptions = {}): RateLimiter {
  const duration = options.durationSeconds ?? 60;
  const burstDuration = options.burstDurationSeconds ?? duration * 10;
  const store = createLimiterStore(config, logger, options.keyPrefix ?? 'wellflow:rl');
  const userPoints = config.RATE_LIMIT_USER_PER_MIN;
  const ipPoints = config.RATE_LIMIT_IP_PER_MIN;

  const ipLimiter: Consumer = store.limiter('ip', ipPoints, duration);
  // The burst allowance is a second, slower-refilling bucket that is only drawn from once the per-minute
  // quota is spent: up to BURST extra at once, but only about BURST/10 extra per minute sustained.
  const userLimiter: Consumer =
    config.RATE_LIMIT_BURST > 0
      ? new BurstyRateLimiter(
          store.limiter('user', userPoints, duration),
          store.limiter('user-burst', config.RATE_LIMIT_BURST, burstDuration),
        )
      : store.limiter('user', userPoints, duration);

  const consume = async (limit: LimitKind, consumer: Consumer, key: string, points: number) => {
    try {
      return { limit, points, res: await consumer.consume(key), rejected: false };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { limit, points, res: err, rejected: true };
      // Only reachable if the insurance limiter itself fails; same reasoning as the store's: let the request in.
      store.warnDegraded('limiter error', err);
      return undefined;
    }
  };

  // The outcomes so far of the request a context belongs to: the IP's, then the user's once auth has run.
  const outcomes = new WeakMap<Context, LimitResult[]>();
  const counted = (c: Context, result: LimitResult | undefined) => {
    const list = outcomes.get(c) ?? [];
    if (result) list.push(result);
    outcomes.set(c, list);
    return list;
  };

  /** 429 when a limit is spent; otherwise the request goes on and its response gets the RateLimit headers. */
  const enforce = async (c: Context, results: LimitResult[], next: Next) => {
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
    // After next(): c.res is final here, including error responses built by onError. Decided again because
    // the user's outcome may have joined the IP's in between.
    for (const [name, value] of Object.entries(decide(results).headers)) c.header(name, value);
  };

  const perIp: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (isExempt(c.req.path)) return next();
    const ip = clientIpOf(c, config.TRUST_PROXY);
    await enforce(c, counted(c, await consume('ip', ipLimiter, ip, ipPoints)), next);
  };

  const perUser: MiddlewareHandler<AppEnv> = async (c, next) => {
    const who = c.get('caller') as Caller | undefined;
    if (!who || isExempt(c.req.path)) return next();
    await enforce(c, counted(c, await consume('user', userLimiter, who.sub, userPoints)), next);
  };

  return { perIp, perUser, ready: (timeoutMs) => store.ready(timeoutMs), close: () => store.close() };
}
