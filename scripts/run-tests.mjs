#!/usr/bin/env node
// `npm test`: type-check, format and lint checks (the layer rules are tests in tests/unit), then every test (unit, integration against a real Temporal dev server and
// PostgreSQL, end-to-end against `wellflow dev`). The type check runs first because vitest strips types
// without checking them, so a type error would otherwise pass. Extra arguments go to vitest
// (`npm test -- tests/unit`). The run always ends with the plain line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

// Static checks first: each is a failing check of its own, and none of them needs a server.
const checks = [
  ['type check (tsc --noEmit)', bin('tsc'), ['--noEmit']],
  ['format (prettier --check .)', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['lint (eslint .)', bin('eslint'), ['.']],
];
for (const [name, cmd, args] of checks) {
  process.stdout.write(`${name}\n`);
  if (run(cmd, args) !== 0) {
    process.stdout.write(`\n${name} failed: no tests were run\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

process.exit(run(bin('vitest'), ['run', ...process.argv.slice(2)]));
