import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres from 'postgres';

export const MIGRATIONS_FOLDER = path.join(__dirname, 'migrations');
/** Arbitrary constant shared by every process that migrates this database. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock: the 0.45 migrator has no lock of its own,
 * and the API, each worker and `wellflow migrate` may all start at once. A dedicated single-connection
 * client holds the lock so it is released even if this process dies (the session ends).
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** True when every committed migration has been applied (used by GET /ready). */
export async function isMigrated(sql: postgres.Sql): Promise<boolean> {
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const latest = expected[expected.length - 1];
  if (!latest) return true;
  try {
    const rows = await sql<
      { hash: string }[]
    >`select hash from drizzle.__drizzle_migrations where hash = ${latest.hash}`;
    return rows.length === 1;
  } catch {
    return false; // the migrations table does not exist yet
  }
}
