import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { portIsOpen } from '../ports';
import type { Logger } from '../logger';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';

/**
 * Runs `temporal server start-dev` as a child process: full server with schedules, advanced visibility and
 * the Web UI, persisted in one SQLite file so runs survive restarts (`kill -9` included: SQLite in WAL mode
 * recovers on open).
 */
export interface DevServerOptions {
  cliPath: string;
  ip?: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file; undefined keeps everything in memory (tests that do not need persistence). */
  dbFile?: string;
  /** Remote codec endpoint for the Web UI (the API's /codec), so the UI can show decrypted payloads. */
  codecEndpoint?: string;
  headless?: boolean;
  /**
   * Register the project's search attributes at start (default true). False gives a server shaped like a bare
   * cluster, on which `wellflow migrate` must register them (tests of that path).
   */
  searchAttributes?: boolean;
  /** Dynamic config values (`--dynamic-config-value`); default DEV_SERVER_DYNAMIC_CONFIG, `{}` for the server's own defaults. */
  dynamicConfig?: Record<string, string | number | boolean>;
  logger: Logger;
}

/**
 * The dev server's dynamic config. `history.transferProcessorMaxPollRPS` (server default 20) bounds how often a
 * history shard's transfer queue reads new tasks; that queue is what hands a new workflow task (after a start,
 * an activity completion, a signal) or a non-eager activity task to matching. The dev server has one shard, so
 * once the limiter's burst is spent every such hand-off waits for the next token: a fixed ~40 ms before each
 * workflow task that follows an activity, even on an idle machine (found with bench/hop-latency.ts and a packet
 * capture: docs/performance.md). A reader polls only when notified of new tasks (or once a minute), so a high
 * limit costs nothing when idle and, under load, one read per notification instead of one per 50 ms.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, number> = {
  'history.transferProcessorMaxPollRPS': 1000,
};

export interface DevServer {
  address: string;
  /** The server process, for benches that measure its CPU and memory. */
  pid: number | undefined;
  uiUrl?: string;
  stop(): Promise<void>;
  /** `kill -9`: the server dies mid-write, as in a crash (fault tests); resolves when it has exited. */
  kill(): Promise<void>;
}

function typeFlag(type: string): string {
  // CLI spelling: Keyword, Text, Int, Double, Bool, Datetime, KeywordList
  return type === 'KEYWORD_LIST' ? 'KeywordList' : type.charAt(0) + type.slice(1).toLowerCase();
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  if (await portIsOpen(opts.port, ip)) {
    throw new Error(
      `TEMPORAL_PORT ${opts.port} is already in use (a Temporal server left over from an earlier run?). ` +
        'Stop it, choose another TEMPORAL_PORT, or set TEMPORAL_ADDRESS to use that server.',
    );
  }
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--namespace', opts.namespace];
  args.push('--log-format', 'json', '--log-level', 'warn');
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    // WAL lets readers (visibility queries) proceed while the single writer appends history;
    // synchronous=NORMAL is durable across process crashes (only an OS crash may drop the last commits).
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=NORMAL',
    );
  }
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? DEV_SERVER_DYNAMIC_CONFIG))
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (opts.searchAttributes !== false)
    for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${typeFlag(sa.type)}`);
  if (opts.headless) {
    args.push('--headless');
  } else {
    args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
    if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  }
  const log = opts.logger.child({ component: 'temporal-dev-server' });
  log.info(
    { port: opts.port, uiPort: opts.headless ? undefined : opts.uiPort, dbFile: opts.dbFile },
    'starting Temporal dev server',
  );
  const child: ChildProcess = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      log.info({ code, signal }, 'Temporal dev server exited');
      resolve();
    });
  });

  const deadline = Date.now() + 60_000; // first start creates the SQLite schema: a few seconds on 2 cores
  while (!(await portIsOpen(opts.port, ip))) {
    if (exited) throw new Error(`Temporal dev server exited during start-up: ${stderrTail.trim().slice(-1500)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Temporal dev server did not open its port within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    address: `${ip}:${opts.port}`,
    pid: child.pid,
    uiUrl: opts.headless ? undefined : `http://localhost:${opts.uiPort}`,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exitPromise;
    },
  };
}
