import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { runMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { resolveTemporalCli } from '../../src/temporal/cli-resolver';
import { startDevServer } from '../../src/temporal/dev-server';
import { buildBundle } from '../../src/worker/bundle';
import { freePort } from './ports';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    bundlePath: string;
    temporalCli: string;
    encryptionKey: string;
  }
}

/**
 * One real Temporal dev server (in memory, free ports) and one fresh, migrated PostgreSQL database per
 * test run, plus the workflow bundle built once. PostgreSQL: TEST_DATABASE_URL's server, else the local
 * server at 127.0.0.1:5432, else an embedded one, so the suite runs on a machine with none installed.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger('warn');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-test-'));
  const cleanups: (() => Promise<void>)[] = [];

  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH, { install: true, log: (m) => console.log(m) });
  const server = await startDevServer({
    cliPath: cli,
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    logger,
  });
  cleanups.push(() => server.stop());

  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `wellflow_test_${process.pid}_${Date.now()}`;
  let databaseUrl: string;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${dbName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    cleanups.push(async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await a.end();
    });
  } catch (err) {
    console.log(`no PostgreSQL at ${new URL(adminUrl).host} (${(err as Error).message}); using an embedded one`);
    const pg = await startEmbeddedPostgres(path.join(tmp, 'pg'), await freePort(), logger);
    cleanups.push(() => pg.stop());
    databaseUrl = pg.url;
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl);

  const bundlePath = await buildBundle(path.join(tmp, 'workflow-bundle.js'), logger);

  project.provide('temporalAddress', server.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('bundlePath', bundlePath);
  project.provide('temporalCli', cli);
  // One key for the whole run, as one deployment's processes share theirs: the test files share this run's
  // database and dev server, so a file that lists what others left (the fuzz gate as admin follows list links
  // into other files' runs and cases) must be able to decrypt their payloads and notes, not answer 500.
  project.provide('encryptionKey', `test1:${randomBytes(32).toString('base64')}`);

  return async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error('teardown:', e));
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}
