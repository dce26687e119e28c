#!/usr/bin/env node
// `npm run lint`: formatting (prettier), lint rules (eslint with typescript-eslint) and the architecture checks
// that need the whole tree (layer rules and import cycles, one contract per workflow, workflow import purity).
// Every step runs even when an earlier one fails, so one run shows everything to fix; the exit code is non-zero
// when any step failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

const steps = [
  { name: 'format (prettier --check .)', cmd: 'prettier', args: ['--check', '.'] },
  { name: 'lint (eslint .)', cmd: 'eslint', args: ['.'] },
  {
    name: 'architecture (layer, contract and workflow-import tests)',
    cmd: 'vitest',
    args: [
      'run',
      'tests/unit/layers.test.ts',
      'tests/unit/contracts-per-workflow.test.ts',
      'tests/unit/contracts-names.test.ts',
      'tests/unit/workflow-imports.test.ts',
    ],
  },
];

const results = steps.map((step, i) => {
  process.stdout.write(`\n[lint ${i + 1}/${steps.length}] ${step.name}\n`);
  const started = performance.now();
  const r = spawnSync(bin(step.cmd), step.args, { cwd: root, stdio: 'inherit' });
  if (r.error) process.stderr.write(`could not run ${step.cmd}: ${r.error.message}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return {
    name: step.name,
    ok: r.status === 0,
    detail: r.error ? 'not run' : r.status === null ? `signal ${r.signal}` : `exit ${r.status}`,
    seconds,
  };
});

process.stdout.write('\nlint summary\n');
for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.detail}, ${r.seconds}s)\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(failed === 0 ? 'lint passed\n' : `lint failed: ${failed} of ${results.length} steps\n`);
process.exit(failed === 0 ? 0 : 1);
