import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { eventually } from './harness';

/** `bin/wellflow.js`: the command operators run (`wellflow worker`), not a test-only entry. */
const WELLFLOW_BIN = path.resolve(__dirname, '..', '..', 'bin', 'wellflow.js');

/**
 * The environment a fault test's processes share, as several hosts of one deployment would: the same secrets,
 * database, Temporal and data folder (photos written by the API are read by the heavy worker). The run's
 * prebuilt workflow bundle spares each worker process a webpack build.
 */
export function faultEnv(overrides: { DATABASE_URL?: string; TEMPORAL_ADDRESS?: string } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-fault-'));
  return {
    WELLFLOW_DATA_DIR: dataDir,
    DATABASE_URL: overrides.DATABASE_URL ?? inject('databaseUrl'),
    TEMPORAL_ADDRESS: overrides.TEMPORAL_ADDRESS ?? inject('temporalAddress'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    WELLFLOW_ENCRYPTION_KEY: `fault1:${randomBytes(32).toString('base64')}`,
    WELLFLOW_WORKFLOW_BUNDLE: inject('bundlePath'),
    // Several processes on one machine: no fixed listening ports.
    WORKER_METRICS_PORT: '0',
    OPS_PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_IP_PER_MIN: '100000',
    RATE_LIMIT_USER_PER_MIN: '100000',
  };
}

export type FaultEnv = ReturnType<typeof faultEnv>;

export interface WellflowProcess {
  readonly pid: number;
  /** Every JSON log line it wrote so far (non-JSON lines are kept as `{ text }`). */
  readonly lines: Record<string, unknown>[];
  /** `kill -9`: no shutdown hook runs, in-flight work is cut wherever it was. */
  kill9(): Promise<void>;
  /** SIGTERM, the way an orchestrator stops it; resolves when it has exited. */
  stop(): Promise<void>;
  /** For a failing test's message: running, or how it exited, with the end of its stderr. */
  describe(): string;
}

/** Starts `wellflow worker` as a child process and resolves once its workers poll. */
export async function startWorkerProcess(env: FaultEnv, queues?: string): Promise<WellflowProcess> {
  const args = [WELLFLOW_BIN, 'worker', ...(queues ? ['--queues', queues] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  // tsx compiles the sources on the first start: tens of seconds on a loaded 2-core machine.
  const died = exited.then(() => {
    throw new Error(`wellflow worker exited during start-up: ${stderr.trim().slice(-1500)}`);
  });
  await Promise.race([eventually(async () => lines.some((l) => l.msg === 'workers polling'), 120_000), died]).catch(
    async (err: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw err;
    },
  );
  died.catch(() => {}); // a later exit (kill9, stop) is expected
  return {
    pid: child.pid!,
    lines,
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      await exited;
    },
    describe: () =>
      alive()
        ? `running (pid ${child.pid}), stderr: ${stderr.trim().slice(-500) || 'none'}`
        : `EXITED (code ${child.exitCode}, signal ${child.signalCode}), stderr: ${stderr.trim().slice(-1500)}`,
  };
}
