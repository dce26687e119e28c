import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { freePort } from '../support/ports';

// The zero-setup PostgreSQL gets a password generated per data folder, never a fixed one anyone can read here.
const logger = createLogger('silent');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-embedded-pg-'));
afterAll(() => {
  // As root the cluster may live outside the data folder; postgres.location then names it.
  const location = path.join(dataDir, 'postgres.location');
  if (fs.existsSync(location)) fs.rmSync(fs.readFileSync(location, 'utf8').trim(), { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const canLogIn = async (port: number, password: string) => {
  const sql = postgres({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    max: 1,
    connect_timeout: 5,
  });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
};

describe('embedded PostgreSQL credentials', () => {
  it('generates a password per data folder (0600), keeps it across restarts, and refuses the old fixed one', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres(dataDir, port, logger);
    const file = path.join(dataDir, 'postgres.password');
    const password = fs.readFileSync(file, 'utf8').trim();
    try {
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(new URL(first.url).password).toBe(encodeURIComponent(password));
      expect(await canLogIn(port, password)).toBe(true);
      expect(await canLogIn(port, 'wellflow-local')).toBe(false);
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedPostgres(dataDir, port, logger);
    try {
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(password);
      expect(await canLogIn(port, password)).toBe(true);
      // A cluster made before passwords were generated (fixed password, no file) is moved to a generated one.
      const sql = postgres({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', max: 1 });
      await sql.unsafe(`alter role postgres password 'wellflow-local'`);
      await sql.end();
      fs.rmSync(file);
    } finally {
      await again.stop();
    }
    const migrated = await startEmbeddedPostgres(dataDir, port, logger);
    try {
      const fresh = fs.readFileSync(file, 'utf8').trim();
      expect(fresh).not.toBe(password);
      expect(await canLogIn(port, fresh)).toBe(true);
      expect(await canLogIn(port, 'wellflow-local')).toBe(false);
    } finally {
      await migrated.stop();
    }
  }, 120_000);
});
