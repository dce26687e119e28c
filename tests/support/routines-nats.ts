import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { eventually } from './harness';
import { freePort } from './ports';

/**
 * The routines tests' OWN nats-server (JetStream, file storage, a free port): the shared one at 4222 is never
 * touched, and every message a test reads is its own. `received` collects the JSON of every `wellflow.task.>`
 * message (domain events as the outbox relay publishes them).
 */
export async function startOwnNats() {
  const port = await freePort();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-routines-nats-'));
  const server: ChildProcess = spawn(
    '/usr/sbin/nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    {
      stdio: 'ignore',
    },
  );
  const url = `nats://127.0.0.1:${port}`;
  const nc: NatsConnection = await eventually(() => connect({ servers: url, timeout: 1_000 }), 20_000);
  const received: Record<string, unknown>[] = [];
  const sub = nc.subscribe('wellflow.task.>');
  void (async () => {
    for await (const m of sub) received.push(m.json<Record<string, unknown>>());
  })();
  return {
    url,
    nc,
    received,
    async stop() {
      await nc.close().catch(() => {});
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
