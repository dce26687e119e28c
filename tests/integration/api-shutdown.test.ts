import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { signToken } from '../../src/api/auth';
import { freePort } from '../support/ports';

// `wellflow api` as a rollout stops it: SIGTERM with an open event stream and a keep-alive connection. It must
// finish what is in flight and exit by itself within the drain time, not wait to be killed.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-api-shutdown-'));
const secret = randomBytes(32).toString('hex');
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const waitFor = async (check: () => Promise<boolean>, ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready within ${ms} ms`);
};

describe('wellflow api on SIGTERM', () => {
  it('drains (an idle keep-alive socket and a request still in flight) and exits 0 within the drain time', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['bin/wellflow.js', 'api'], {
      env: {
        ...process.env,
        PORT: String(port),
        OPS_PORT: '0', // this test is about the public port; the ops port has its own test (topology)
        DATABASE_URL: inject('databaseUrl'),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        WELLFLOW_DATA_DIR: dataDir,
        JWT_SECRET: secret,
        WELLFLOW_ENCRYPTION_KEY: `t1:${randomBytes(32).toString('base64')}`,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`)).ok, 60_000);

    // A finished request on a keep-alive connection: the idle socket must not hold the server open.
    const token = await signToken(secret, { sub: 'alice', role: 'user' }, 300);
    const agent = new http.Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(`${base}/v1/meals`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
    // A request still being sent when the signal arrives: headers now, body never. It holds the server open
    // until the drain time cuts it.
    const hanging = http.request(`${base}/v1/journal-entries`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': '1000' },
    });
    hanging.on('error', () => {});
    hanging.flushHeaders();

    const started = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const took = Date.now() - started;
    agent.destroy();
    expect(code).toBe(0);
    // The drain time (10 s) plus the rest of the ordered stop; a process that never exits would time the test out.
    expect(took).toBeLessThan(20_000);
  }, 120_000);
});
