import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/api/auth';
import { installSchemathesis } from '../../src/fuzzer';
import { type Harness, startHarness } from '../support/harness';

/**
 * The fuzz gate: Schemathesis generates requests from the served /openapi.json (valid and invalid ones, every
 * operation) against the real app over a socket, with a user's and an admin's token, and every check it has.
 * Any 5xx other than a declared 503, any response the document does not describe (status, content type,
 * headers, body schema), any invalid input accepted or valid input refused fails the gate.
 */

/**
 * Why 8 examples per operation and phase: ~57 operations x 2 roles x (examples + coverage + fuzzing) keep the
 * gate near three minutes on 2 shared cores (at 15 it took ~6), while the coverage phase, which is not bounded
 * by this number, still sends every boundary and wrong type each schema allows, where most findings were. A
 * fixed seed makes a failure reproducible.
 */
const MAX_EXAMPLES = 8;
/** What the document cannot say (tests/fuzz/schemathesis.toml): each entry there says why. */
const CONFIG = path.resolve(__dirname, '..', 'fuzz', 'schemathesis.toml');
const SEED = 20261130;

let h: Harness;
let server: ReturnType<typeof serve>;
let baseUrl: string;
let schemathesis: string;
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-fuzz-'));

beforeAll(async () => {
  schemathesis = installSchemathesis((m) => console.log(m));
  // With workers: a description sent to a meal waiting for one is taken, not a timed-out update (a 503).
  h = await startHarness();
  server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.stop();
  fs.rmSync(reportDir, { recursive: true, force: true });
});

interface Failure {
  operation: string;
  message: string;
}

/** The failed and errored test cases of a Schemathesis JUnit report. */
function junitFailures(xml: string): { tests: number; failures: Failure[] } {
  const failures: Failure[] = [];
  let tests = 0;
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    tests++;
    const name = /name="([^"]*)"/.exec(m[1]!)?.[1] ?? '?';
    for (const f of (m[3] ?? '').matchAll(/<(failure|error)\b[^>]*?(?:message="([^"]*)")?[^>]*>([\s\S]*?)<\/\1>/g))
      failures.push({ operation: name, message: `${f[2] ?? ''}\n${f[3] ?? ''}`.trim().slice(0, 2000) });
  }
  return { tests, failures };
}

function runSchemathesis(role: Role, token: string): Promise<{ code: number | null; junit: string; output: string }> {
  const junitPath = path.join(reportDir, `${role}.xml`);
  const args = [
    '--no-color',
    '--config-file',
    CONFIG,
    'run',
    `${baseUrl}/openapi.json`,
    '--checks',
    'all',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    String(SEED),
    '--phases',
    'examples,coverage,fuzzing',
    // One worker: the app, Temporal and PostgreSQL share the same 2 cores.
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--header',
    `Authorization: Bearer ${token}`,
    '--report',
    'junit',
    '--report-junit-path',
    junitPath,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(schemathesis, args, {
      // Its example cache (.schemathesis/) goes to the run's temporary folder: npm test leaves the tree clean.
      cwd: reportDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, output, junit: fs.existsSync(junitPath) ? fs.readFileSync(junitPath, 'utf8') : '' }),
    );
  });
}

describe('fuzz gate (schemathesis, all checks)', () => {
  for (const role of ['user', 'admin'] as const) {
    it(`finds no server error and no schema violation with a ${role} token`, async () => {
      const token = await h.token(h.newUser(), role);
      const run = await runSchemathesis(role, token);
      const report = junitFailures(run.junit);
      // The report must exist and cover the operations: a run that tested nothing proves nothing.
      expect(report.tests, run.output.slice(-3000)).toBeGreaterThan(30);
      expect(report.failures, run.output.slice(-6000)).toEqual([]);
      expect(run.code, run.output.slice(-3000)).toBe(0);
    }, 600_000);
  }
});
