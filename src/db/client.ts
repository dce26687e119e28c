import type { PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsDatabase, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
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
 * One pool per process. `max` is sized together with the worker's activity slots (see worker/tuning.ts):
 * activities hold a connection for one short statement at a time, so 10 connections serve the default
 * queue's 50 activity slots without queueing for long.
 */
export function createDatabase(
  url: string,
  opts: { max?: number; connectTimeoutS?: number; statementTimeoutMs?: number } = {},
): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {}, // "schema already exists, skipping" notices are noise
    connect_timeout: opts.connectTimeoutS ?? CONNECT_TIMEOUT_S,
    connection: { statement_timeout: opts.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS },
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
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
