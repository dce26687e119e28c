import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '../../config';
import type { Logger } from '../../logger';

/**
 * Where the rate-limit counters live: Redis when REDIS_URL is set, so all API processes share one budget;
 * in memory otherwise.
 *
 * Fail open: if Redis is down, slow or still connecting, each call falls through to an in-memory
 * `insuranceLimiter` with the same quota. The alternative, failing closed, would turn a Redis outage (a
 * cache-like dependency that holds no data we need) into a full API outage for everyone; worst case while
 * degraded, each process enforces the quota on its own, so a client gets N processes' worth of requests.
 */
interface LimiterStore {
  /** A counter of `points` per `seconds` under `<prefix>:<name>`. */
  limiter(name: string, points: number, seconds: number): RateLimiterMemory | RateLimiterRedis;
  /** Logs that limits are per process for now: at most once a minute, not once per request. */
  warnDegraded(reason: string, err?: unknown): void;
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export function createLimiterStore(config: Pick<Config, 'REDIS_URL'>, logger: Logger, prefix: string): LimiterStore {
  let redis: Redis | undefined;
  // When the last warning was logged. A slow command (commandTimeout) leaves the client 'ready', so no event
  // would tell us it recovered: re-warn after a minute instead.
  let warnedAt = 0;
  const warnDegraded = (reason: string, err?: unknown) => {
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    logger.warn(
      { reason, err: err ? String(err) : undefined },
      'rate limiter: Redis unavailable, limiting per process in memory until it is back (fail open)',
    );
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

  const limiter = (name: string, points: number, seconds: number) => {
    const keyPrefix = `${prefix}:${name}`;
    if (!redis) return new RateLimiterMemory({ keyPrefix, points, duration: seconds });
    const client = redis;
    class InsuranceLimiter extends RateLimiterMemory {
      override consume(...args: Parameters<RateLimiterMemory['consume']>) {
        // 'wait'/'connecting' on the very first connection is start-up, not an outage.
        if (client.status !== 'wait' && client.status !== 'connecting')
          warnDegraded(`redis command failed or not ready (status ${client.status})`);
        return super.consume(...args);
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

  return {
    limiter,
    warnDegraded,
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
