import type { PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsDatabase, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { boundedPool } from './pool-queue';
import * as schema from './schema';

/** What a repository queries: the pool, or a transaction on it (both are a PgDatabase of our schema). */
export type Db = PgDatabase<PostgresJsQueryResultHKT, typeof schema>;

export interface Database {
  db: PostgresJsDatabase<typeof schema>;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/**
 * How long opening a connection may take, in seconds (postgres.js `connect_timeout`: TCP connect, TLS and
 * authentication up to ReadyForQuery). Why 3 s, not postgres.js's 30 s or the 10 s used before: PostgreSQL on
 * the same host or network answers in milliseconds and a TLS handshake to a managed server in well under a
 * second, so 3 s only cuts attempts that will not succeed: a stopped server that drops packets or a server
 * that accepts and never answers. A request then answers 503 `database_unavailable` within a few seconds
 * instead of hanging; workers share the setting, and their activities are retried anyway.
 */
export const CONNECT_TIMEOUT_S = 3;

/**
 * PostgreSQL's `statement_timeout` for every statement of the pool, in ms (sent as a startup parameter, so it
 * holds on every connection without a round trip). Why 10 s: the API's statements are indexed lookups and
 * small writes that take milliseconds, and the activities' statements are bounded batches (`limit` rows), so
 * 10 s is far beyond anything legitimate; a statement stuck behind a lock or on an overloaded server is
 * cancelled (SQLSTATE 57014, answered 503) instead of holding a connection, and a request with it, for as
 * long as the client waits. Maintenance's VACUUM lifts it on its own connection (`unboundedStatement`).
 */
export const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * How long a query may wait for one of the pool's connections before it is refused (503 `database_unavailable`
 * in the API, a retried attempt in an activity): 2 s. Why: with the database healthy a statement holds its
 * connection for milliseconds, so even the default worker's 50 activity slots on 10 connections wait far less;
 * a 2 s wait means the database is down or overloaded, and a request is better answered 503 at once than queued
 * behind rounds of 3 s connect timeouts (it is below CONNECT_TIMEOUT_S on purpose: requests beyond the pool's
 * size are answered before the first round of connection attempts has even failed). See pool-queue.ts.
 */
export const POOL_QUEUE_WAIT_MS = 2_000;

/**
 * How long a query (or transaction) may hold its pool permit before it is refused with `PoolHoldTimeoutError`
 * (503 in the API, a retried attempt in an activity): connecting (CONNECT_TIMEOUT_S) plus one statement
 * (STATEMENT_TIMEOUT_MS). Why: anything healthy has settled by then, since a connection attempt and a statement
 * are each cut by their own timeout; a query still pending is stuck in the driver (see pool-queue.ts) and must
 * not keep its permit, nor the activity awaiting it, forever. It stays below the local activities' 15 s
 * start-to-close (meal-analysis.policy.ts) so a stuck attempt ends, freeing its worker slot, as it times out.
 */
export const POOL_HOLD_MS = CONNECT_TIMEOUT_S * 1_000 + STATEMENT_TIMEOUT_MS;

/**
 * One pool per process. `max` is sized together with the worker's activity slots (see worker/tuning.ts):
 * activities hold a connection for one short statement at a time, so 10 connections serve the default
 * queue's 50 activity slots without queueing for long.
 */
export function createDatabase(
  url: string,
  opts: {
    max?: number;
    connectTimeoutS?: number;
    statementTimeoutMs?: number;
    poolQueueWaitMs?: number;
    poolHoldMs?: number;
  } = {},
): Database {
  const max = opts.max ?? 10;
  const pool = postgres(url, {
    max,
    onnotice: () => {}, // "schema already exists, skipping" notices are noise
    connect_timeout: opts.connectTimeoutS ?? CONNECT_TIMEOUT_S,
    connection: { statement_timeout: opts.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS },
  });
  const sql = boundedPool(pool, max, opts.poolQueueWaitMs ?? POOL_QUEUE_WAIT_MS, opts.poolHoldMs ?? POOL_HOLD_MS);
  return { db: drizzle(sql, { schema }), sql, close: () => pool.end({ timeout: 5 }) };
}

/**
 * Runs one statement with no statement timeout, on a connection reserved for it (the setting is per session,
 * so it is put back before the connection returns to the pool). For maintenance statements whose length is
 * the table's size, not the request's: VACUUM (it cannot run in a transaction, so `SET LOCAL` is no option).
 */
export async function unboundedStatement<T>(database: Database, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const reserved = await database.sql.reserve();
  try {
    await reserved`set statement_timeout = 0`;
    return await run(reserved);
  } finally {
    await reserved`reset statement_timeout`.catch(() => {});
    reserved.release();
  }
}
