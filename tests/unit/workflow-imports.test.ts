import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { isBuiltin, listTs, resolveRelative, valueImports } from '../support/import-graph';

// Workflow code runs in Temporal's deterministic sandbox: it may import only @temporalio/workflow and
// relative files that are themselves pure. Type-only imports are erased by the compiler and are ignored.
const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS_DIR = path.join(ROOT, 'src', 'workflows');
const ALLOWED_PACKAGES = new Set(['@temporalio/workflow']);

interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

/** Why a non-relative specifier is not allowed in workflow code, or undefined when it is. */
function packageViolation(specifier: string): string | undefined {
  if (ALLOWED_PACKAGES.has(specifier)) return undefined;
  if (isBuiltin(specifier)) return 'Node built-in';
  return 'package other than @temporalio/workflow';
}

/** Violations in one source text, not following relative imports. */
function checkSource(source: string, fileName = 'inline.ts'): Violation[] {
  return valueImports(source, fileName)
    .filter((i) => !i.specifier.startsWith('.'))
    .flatMap((i) => {
      const reason = packageViolation(i.specifier);
      return reason ? [{ file: `${fileName}:${i.line}`, specifier: i.specifier, reason }] : [];
    });
}

/** Checks every .ts file under `dir` and, transitively, every relative file they import by value. */
function checkWorkflowTree(dir: string, root = ROOT): { violations: Violation[]; checked: string[] } {
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const queue = listTs(dir);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.json')) continue; // data: no imports
    const rel = path.relative(root, file);
    const source = fs.readFileSync(file, 'utf8');
    violations.push(...checkSource(source, rel));
    for (const i of valueImports(source, rel).filter((x) => x.specifier.startsWith('.'))) {
      const target = resolveRelative(file, i.specifier);
      if (target) queue.push(target);
      else
        violations.push({
          file: `${rel}:${i.line}`,
          specifier: i.specifier,
          reason: 'relative import that does not resolve to a .ts file',
        });
    }
  }
  return { violations, checked: [...seen].map((f) => path.relative(root, f)).sort() };
}

const format = (vs: Violation[]) => vs.map((v) => `${v.file} imports '${v.specifier}' (${v.reason})`).join('\n');

describe('workflow import purity', () => {
  it('src/workflows and everything it imports by value use only @temporalio/workflow and pure relative files', () => {
    const { violations, checked } = checkWorkflowTree(WORKFLOWS_DIR);
    expect(checked).toContain(path.join('src', 'workflows', 'index.ts'));
    expect(checked.length).toBeGreaterThanOrEqual(listTs(WORKFLOWS_DIR).length);
    expect(format(violations)).toBe('');
  });
});

describe('the checker itself', () => {
  it('flags Node built-ins and other packages', () => {
    const src = [
      "import fs from 'node:fs';",
      "import postgres from 'postgres';",
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { helper } from './helper';",
    ].join('\n');
    expect(checkSource(src, 'wf.ts')).toEqual([
      { file: 'wf.ts:1', specifier: 'node:fs', reason: 'Node built-in' },
      { file: 'wf.ts:2', specifier: 'postgres', reason: 'package other than @temporalio/workflow' },
    ]);
  });

  it('flags bare built-ins, re-exports, require, dynamic import and mixed type/value imports', () => {
    const src = [
      "import path from 'path';",
      "import * as crypto from 'crypto';",
      "import { type ChildProcess, spawn } from 'child_process';",
      "export * from 'net';",
      "export { request } from 'http';",
      "const x = require('pino');",
      "async function f() { return import('zod'); }",
      "import 'reflect-metadata';",
    ].join('\n');
    expect(checkSource(src).map((v) => v.specifier)).toEqual([
      'path',
      'crypto',
      'child_process',
      'net',
      'http',
      'pino',
      'zod',
      'reflect-metadata',
    ]);
  });

  it('ignores type-only imports and exports', () => {
    const src = [
      "import type { Sql } from 'postgres';",
      "import type fs from 'node:fs';",
      "import { type Context, type Next } from 'hono';",
      "export type { Logger } from 'pino';",
      "export { type ZodType } from 'zod';",
      "// import fs from 'node:fs';",
      "/* import net from 'net'; */",
    ].join('\n');
    expect(checkSource(src)).toEqual([]);
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-imports-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('follows relative imports outside the workflow folder, ignoring files reached only by type', () => {
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    };
    write(
      'workflows/wf.ts',
      "import { a } from '../lib/impure';\nimport { b } from '../lib/pure';\nimport type { T } from '../lib/types';\n",
    );
    write('lib/impure.ts', "import { helper } from './deep';\nexport const a = helper;\n");
    write('lib/deep/index.ts', "import { randomUUID } from 'node:crypto';\nexport const helper = randomUUID;\n");
    write('lib/pure.ts', "import { sleep } from '@temporalio/workflow';\nexport const b = sleep;\n");
    write('lib/types.ts', "import fs from 'node:fs';\nexport type T = typeof fs;\n");
    const { violations, checked } = checkWorkflowTree(path.join(tmp, 'workflows'), tmp);
    expect(violations).toEqual([
      { file: path.join('lib', 'deep', 'index.ts') + ':1', specifier: 'node:crypto', reason: 'Node built-in' },
    ]);
    expect(checked).not.toContain(path.join('lib', 'types.ts'));
    expect(checked).toContain(path.join('lib', 'pure.ts'));
  });
});
