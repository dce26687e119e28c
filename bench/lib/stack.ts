import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logger';
import { resolveTemporalCli } from '../../src/temporal/cli-resolver';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server';

/** The stack the meal benchmark runs against, started by it: `wellflow dev` (API + workers + its own dev
 * server and embedded PostgreSQL) and the bare arms' worker process, on free ports in a fresh data folder. */
export const ROOT = path.resolve(__dirname, '..', '..');
const WELLFLOW = path.join(ROOT, 'bin', 'wellflow.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * A headless, in-memory Temporal dev server on free ports for benches that need Temporal alone: no search
 * attributes (a bare cluster's shape), the project's dynamic config unless `dynamicConfig` says otherwise.
 */
export async function startBareDevServer(
  dynamicConfig?: Record<string, string | number | boolean>,
): Promise<DevServer> {
  return startDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH, { install: true, log: console.log }),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    searchAttributes: false,
    ...(dynamicConfig ? { dynamicConfig } : {}),
    logger: createLogger('warn'),
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready within ${ms} ms`);
}

export interface BenchStack {
  apiUrl: string;
  temporalAddress: string;
  databaseUrl: string;
  token: string;
  /** The stack's JWT secret, for benches that sign tokens for many people. */
  jwtSecret: string;
  /** Root pids whose process trees are measured. */
  pids: Record<string, number>;
  /** The stack's data folder (photos, export archives), for benches that seed files. */
  dataDir: string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** `mode: 'one'` = `wellflow dev` (API and workers in one process); `split` = dev servers + API in one, workers in another. */
export async function startBenchStack(opts: { split: boolean; log: (m: string) => void }): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-bench-'));
  const [port, temporalPort, uiPort, pgPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    WELLFLOW_DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    EMBEDDED_PG_PORT: String(pgPort),
    OPS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    NATS_URL: '',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    // The bench is one client: per-user and per-IP limits would measure the limiter.
    RATE_LIMIT_IP_PER_MIN: '100000',
    RATE_LIMIT_USER_PER_MIN: '100000',
    RATE_LIMIT_BURST: '10000',
  };
  delete (env as Record<string, string | undefined>).NATS_URL;
  delete (env as Record<string, string | undefined>).OTEL_EXPORTER_OTLP_ENDPOINT;
  const children: ChildProcess[] = [];
  const out = fs.openSync(path.join(dataDir, 'bench-stack.log'), 'a');
  const start = (args: string[], extra: Record<string, string> = {}) => {
    const c = spawn(process.execPath, args, { env: { ...env, ...extra }, stdio: ['ignore', out, out], cwd: ROOT });
    children.push(c);
    return c;
  };
  // split: the dev process keeps only the heavy queue's worker (unused by text meals); the rest run apart.
  const dev = start([WELLFLOW, 'dev'], opts.split ? { WELLFLOW_QUEUES: 'heavy' } : {});
  const apiUrl = `http://127.0.0.1:${port}`;
  opts.log(`starting wellflow dev in ${dataDir}`);
  await until('wellflow dev', async () => ((await fetch(`${apiUrl}/health`)).ok ? true : undefined), 240_000);
  const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
  const databaseUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/wellflow`;
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const pids: Record<string, number> = { wellflow: dev.pid! };
  if (opts.split) {
    const w = start([WELLFLOW, 'worker'], {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      WELLFLOW_QUEUES: 'default,critical',
    });
    pids.wellflowWorker = w.pid!;
  }
  // node --import tsx (not the tsx CLI, which would run the worker in a grandchild this bench cannot measure or stop).
  const bare = start(['--import', 'tsx', path.join(__dirname, 'bare-worker.ts')], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
  });
  pids.bare = bare.pid!;
  const token = execFileSync(process.execPath, [WELLFLOW, 'token', '--sub', 'bench', '--role', 'user', '--ttl', '6h'], {
    env,
    encoding: 'utf8',
  }).trim();
  return {
    apiUrl,
    temporalAddress,
    databaseUrl,
    token,
    jwtSecret: env.JWT_SECRET,
    pids,
    dataDir,
    async stop() {
      for (const c of children.reverse()) await stopChild(c);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
