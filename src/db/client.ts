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
 * One pool per process. `max` is sized together with the worker's activity slots (see worker/tuning.ts):
 * activities hold a connection for one short statement at a time, so 10 connections serve the default
 * queue's 50 activity slots without queueing for long.
 */
export function createDatabase(url: string, opts: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {}, // "schema already exists, skipping" notices are noise
    connect_timeout: 10,
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}
