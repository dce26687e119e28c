import { Semaphore, withTimeout } from 'async-mutex';
import type postgres from 'postgres';

/**
 * A bound on how long a query waits for one of the pool's connections. postgres.js queues a query without limit
 * when all `max` connections are busy, and with the database down every queued query also waits its own connect
 * timeout in turn (40 requests on 10 connections: four rounds of 3 s). In front of the pool, a semaphore with
 * one permit per connection: a query (or transaction, or reserved connection) takes a permit for as long as it
 * holds a connection, and one that cannot get a permit within the wait is refused with `PoolQueueTimeoutError`
 * without ever reaching postgres.js (so no queued postgres.js query is cancelled, which could leak its
 * connection). The API answers it 503 `database_unavailable` with Retry-After; activities retry it.
 */

/**
 * The error a query gets when it waited too long for a connection. Its `code` is PostgreSQL's SQLSTATE 53300
 * `too_many_connections`: what it means here too (every connection of this process's pool is taken), and the
 * code the API's outage mapping (src/api/errors.ts) already answers with 503.
 */
export class PoolQueueTimeoutError extends Error {
  readonly code = '53300';
  constructor(waitMs: number) {
    super(`no database connection free within ${waitMs} ms (the pool is busy or the database is not answering)`);
    this.name = 'PoolQueueTimeoutError';
  }
}

/**
 * The error a query gets when it held its connection permit for longer than any healthy statement can take
 * (connect timeout plus statement timeout): postgres.js 3.4.9 can leave a query pending forever, e.g. when the
 * server closes the socket during start-up without an error (porsager/postgres#1193: it reconnects in a loop
 * and never settles the query). Without this bound that query kept its permit for good, and once every permit
 * was held so, every later query was refused and an activity waiting on one never finished (nor freed its
 * worker slot). Its `code` is SQLSTATE 08006 `connection_failure`: the API answers it 503, activities retry it.
 */
export class PoolHoldTimeoutError extends Error {
  readonly code = '08006';
  constructor(holdMs: number) {
    super(`the database did not answer within ${holdMs} ms (the connection is stuck or the database is down)`);
    this.name = 'PoolHoldTimeoutError';
  }
}

type Sql = postgres.Sql;
const isTemplate = (first: unknown) => Array.isArray(first) && 'raw' in first;
type Pending = PromiseLike<unknown> & { values(): Pending };

/**
 * `sql` with every way of taking a connection gated: tagged-template and `unsafe` queries (awaited, or through
 * `.values()` as drizzle reads rows), `begin` (the whole transaction holds one permit; queries inside it use the
 * transaction's own client and are not gated again) and `reserve` (until `release`). Cursors, `forEach` and
 * listen/notify pass through ungated; nothing in this project uses them.
 */
export function boundedPool(sql: Sql, connections: number, waitMs: number, holdMs: number): Sql {
  const permits = withTimeout(new Semaphore(connections), waitMs, new PoolQueueTimeoutError(waitMs));
  const acquire = async () => {
    try {
      const [, release] = await permits.acquire();
      return release;
    } catch (err) {
      // A fresh error per refusal (the shared one would carry the first refusal's stack).
      throw err instanceof PoolQueueTimeoutError ? new PoolQueueTimeoutError(waitMs) : err;
    }
  };
  /**
   * `work` settled, or refused with `PoolHoldTimeoutError` after `holdMs`. On the refusal the permit is given
   * back although the driver may still hold the query: postgres.js caps the connections itself, so the only cost
   * is that later queries queue inside postgres.js again, which beats every later query being refused for good.
   */
  const bounded = <T>(work: PromiseLike<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PoolHoldTimeoutError(holdMs)), holdMs);
    });
    const settled = Promise.resolve(work);
    settled.catch(() => {}); // once abandoned, a late failure is nobody's to handle
    return Promise.race([settled, expired]).finally(() => clearTimeout(timer));
  };
  const run = async <T>(work: () => PromiseLike<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await bounded(work());
    } finally {
      release();
    }
  };
  /** A lazy query: postgres.js builds it at once but only sends it when awaited, so the permit is taken then. */
  const gated = (make: () => Pending, values = false): Pending => ({
    values: () => gated(make, true),
    then: (onFulfilled, onRejected) => run(() => (values ? make().values() : make())).then(onFulfilled, onRejected),
  });
  return new Proxy(sql, {
    // A tagged template (`sql\`select 1\``) is a query; `sql(value)` builds a fragment for one and is not.
    apply: (target, self, args: unknown[]) =>
      isTemplate(args[0])
        ? gated(() => Reflect.apply(target, self, args) as Pending)
        : (Reflect.apply(target, self, args) as unknown),
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (...args: Parameters<Sql['unsafe']>) => gated(() => target.unsafe(...args) as unknown as Pending);
      if (prop === 'begin')
        return (...args: Parameters<Sql['begin']>) =>
          run(() => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args));
      if (prop === 'reserve')
        return async () => {
          const release = await acquire();
          try {
            // Only taking the connection is bounded: a reserved connection is then held until `release`.
            const reserved = await bounded(target.reserve());
            const back = reserved.release.bind(reserved);
            reserved.release = () => {
              back();
              release();
            };
            return reserved;
          } catch (err) {
            release();
            throw err;
          }
        };
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
