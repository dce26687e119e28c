import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildImportGraph,
  findCycles,
  formatEdge,
  parseImports,
  type ImportEdge,
  type ImportGraph,
} from '../support/import-graph';

// The layer rules of docs/architecture.md (principle 9), checked on the import graph of src/ built from the
// TypeScript AST: relative imports resolved to files (`.ts`, `index.ts`, `.json`), every edge marked value or
// type-only. A rule is a function from the graph to its violations, `file:line -> target`; the same functions
// run on a fixture tree that breaks each rule once, so a rule that can no longer fail is noticed.

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'layers');

/**
 * Packages src/domain may import. Today it imports none at all (no package, no Node built-in), so the list is
 * empty: a pure package (one with no I/O, no globals, no native code) may be added here deliberately. Anything
 * not listed fails, which covers Node built-ins and I/O or framework packages (postgres, drizzle-orm, hono,
 * pino, @temporalio/*, nats, ioredis, sharp...).
 */
const DOMAIN_PACKAGES = new Set<string>([]);

/** A local edge into any of `layers` (`src/<layer>/...`). */
const into = (e: ImportEdge, ...layers: string[]) =>
  e.kind === 'local' && layers.some((l) => e.to.startsWith(`src/${l}/`));

interface LayerRule {
  /** Files the rule applies to: a root-relative folder prefix. */
  from: string;
  /** Whether one import from a file of the layer is allowed. */
  allows(e: ImportEdge): boolean;
}

const RULES = {
  // Pure logic: nothing of ours outside the domain (type or value), no package that is not listed as pure.
  domain: {
    from: 'src/domain/',
    allows: (e) => (e.kind === 'package' ? DOMAIN_PACKAGES.has(e.pkg!) : into(e, 'domain')),
  },
  // One pure module per workflow, importable from workflow code: contracts and domain only; definitions come
  // from @temporalio/workflow (value), @temporalio/common only lends types (Priority, SearchAttributePair...).
  contracts: {
    from: 'src/contracts/',
    allows: (e) =>
      e.kind === 'package'
        ? e.pkg === '@temporalio/workflow' || (e.pkg === '@temporalio/common' && e.typeOnly)
        : into(e, 'contracts', 'domain'),
  },
  // Deterministic orchestration: by value only workflows, contracts, domain and @temporalio/workflow. Activity
  // modules may be imported by type only: proxyActivities<MealActivities>() needs the activities' interface,
  // and `import type` is erased at compile time, so no activity code (or its I/O) enters the workflow bundle.
  // Nothing else may be imported, not even by type.
  workflows: {
    from: 'src/workflows/',
    allows: (e) =>
      e.kind === 'package'
        ? e.pkg === '@temporalio/workflow'
        : into(e, 'workflows', 'contracts', 'domain') || (e.typeOnly && into(e, 'activities')),
  },
  // Activities adapt domain services to I/O: they never reach up into the API, workflow code or the worker.
  activities: { from: 'src/activities/', allows: (e) => !into(e, 'api', 'workflows', 'worker') },
  // Repositories talk to PostgreSQL only.
  db: { from: 'src/db/', allows: (e) => !into(e, 'temporal', 'api', 'activities', 'workflows') },
  // Adapters are leaves that activities wrap.
  adapters: { from: 'src/adapters/', allows: (e) => !into(e, 'api', 'activities', 'workflows') },
  // The Temporal layer (client, interceptors, schedules) knows nothing of the HTTP API.
  temporal: { from: 'src/temporal/', allows: (e) => !into(e, 'api') },
  // The configuration is loaded by every role (workers, migrate, the CLI): it never reaches into a role's layer.
  config: {
    from: 'src/config.ts',
    allows: (e) => !into(e, 'api', 'activities', 'workflows', 'worker', 'temporal', 'db'),
  },
} satisfies Record<string, LayerRule>;

type RuleName = keyof typeof RULES;

/** Every import from the rule's layer that the rule does not allow (unresolved imports have their own rule). */
function layerViolations(graph: ImportGraph, rule: LayerRule): string[] {
  return graph.edges
    .filter((e) => e.kind !== 'unresolved' && e.from.startsWith(rule.from) && !rule.allows(e))
    .map(formatEdge);
}

/** Relative imports that name no file: the graph would silently miss whatever they meant. */
const unresolvedImports = (graph: ImportGraph): string[] =>
  graph.edges.filter((e) => e.kind === 'unresolved').map(formatEdge);

const report = (title: string, list: string[]) =>
  `${title}: ${list.length} violation(s)\n${list.map((v) => `  ${v}`).join('\n')}`;

describe('layer rules on src/', () => {
  const graph = buildImportGraph(ROOT, 'src');

  it('the graph covers src (not vacuously empty)', () => {
    expect(graph.files).toContain('src/workflows/index.ts');
    expect(graph.files).toContain('src/contracts/index.ts');
    expect(graph.edges.filter((e) => e.kind === 'local').length).toBeGreaterThan(100);
    for (const rule of Object.values(RULES)) {
      expect(
        graph.files.some((f) => f.startsWith(rule.from)),
        `no file under ${rule.from}`,
      ).toBe(true);
    }
  });

  it('every relative import resolves to a file', () => {
    const list = unresolvedImports(graph);
    expect(list, report('unresolved relative imports', list)).toEqual([]);
  });

  it('src/domain imports nothing of ours outside src/domain, and no package not listed as pure', () => {
    const list = layerViolations(graph, RULES.domain);
    expect(list, report('domain', list)).toEqual([]);
  });

  it('src/contracts imports only contracts, domain, @temporalio/workflow and types of @temporalio/common', () => {
    const list = layerViolations(graph, RULES.contracts);
    expect(list, report('contracts', list)).toEqual([]);
  });

  it('src/workflows imports by value only workflows, contracts, domain and @temporalio/workflow', () => {
    const list = layerViolations(graph, RULES.workflows);
    expect(list, report('workflows', list)).toEqual([]);
  });

  it('src/activities never imports api, workflows or worker', () => {
    const list = layerViolations(graph, RULES.activities);
    expect(list, report('activities', list)).toEqual([]);
  });

  it('src/db never imports temporal, api, activities or workflows', () => {
    const list = layerViolations(graph, RULES.db);
    expect(list, report('db', list)).toEqual([]);
  });

  it('src/adapters never imports api, activities or workflows', () => {
    const list = layerViolations(graph, RULES.adapters);
    expect(list, report('adapters', list)).toEqual([]);
  });

  it('src/temporal never imports api', () => {
    const list = layerViolations(graph, RULES.temporal);
    expect(list, report('temporal', list)).toEqual([]);
  });

  it('src/config.ts never imports api, activities, workflows, worker, temporal or db', () => {
    const list = layerViolations(graph, RULES.config);
    expect(list, report('config', list)).toEqual([]);
  });

  it('no import cycles among src files, type-only imports included', () => {
    const cycles = findCycles(graph);
    expect(cycles, report('import cycles', cycles)).toEqual([]);
  });
});

describe('the same rules on a fixture that breaks each of them once (tests/fixtures/layers)', () => {
  const graph = buildImportGraph(FIXTURE, 'src');

  const expected: Record<RuleName, string[]> = {
    // A domain file importing an activity, and one using a Node built-in.
    domain: ['src/domain/hash.ts:2 -> node:crypto', 'src/domain/score.ts:2 -> src/activities/meals.ts'],
    // @temporalio/common by value (its type-only import on the line before is allowed).
    contracts: ['src/contracts/meal.ts:5 -> @temporalio/common'],
    // meal.ts reaches node:fs indirectly, through a workflow helper; its type-only activity import is allowed.
    workflows: ['src/workflows/seed.ts:2 -> node:fs'],
    activities: ['src/activities/meals.ts:2 -> src/workflows/seed.ts (type-only)'],
    db: ['src/db/repo.ts:2 -> src/temporal/client.ts'],
    adapters: ['src/adapters/notify.ts:2 -> src/activities/meals.ts'],
    temporal: ['src/temporal/client.ts:2 -> src/api/deps.ts (type-only)'],
    config: ['src/config.ts:4 -> src/api/deps.ts (type-only)'],
  };

  it.each(Object.keys(RULES) as RuleName[])('rule %s reports exactly the expected violations', (name) => {
    expect(layerViolations(graph, RULES[name])).toEqual(expected[name]);
  });

  it('the cycle check reports exactly the type-only cycle, as a path', () => {
    expect(findCycles(graph)).toEqual([
      'src/api/deps.ts:2 (type) -> src/api/rate-limit.ts:1 (type) -> src/api/deps.ts',
    ]);
  });

  it('an unresolved relative import is reported', () => {
    expect(unresolvedImports(graph)).toEqual(['src/worker/main.ts:6 -> ./missing']);
  });
});

describe('the graph builder', () => {
  it('marks each import value or type-only as the compiler does', () => {
    const src = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import { type D, e } from './c';",
      "export type { F } from './d';",
      "export * from './e';",
      "type G = typeof import('./f');",
      "import './g';",
      "import {} from './h';",
      "const h = require('./i');",
      "// import { x } from './comment';",
    ].join('\n');
    expect(parseImports(src).map((i) => `${i.specifier}:${i.line}:${i.typeOnly ? 'type' : 'value'}`)).toEqual([
      './a:1:type',
      './b:2:type',
      './c:3:value',
      './d:4:type',
      './e:5:value',
      './f:6:type',
      './g:7:value',
      './h:8:value',
      './i:9:value',
    ]);
  });

  it('finds a self-import and a longer value cycle, each once', () => {
    const graph: ImportGraph = {
      root: '/',
      files: ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'],
      edges: [
        { from: 'src/b.ts', line: 1, specifier: './c', typeOnly: false, kind: 'local', to: 'src/c.ts' },
        { from: 'src/c.ts', line: 2, specifier: './a', typeOnly: false, kind: 'local', to: 'src/a.ts' },
        { from: 'src/a.ts', line: 3, specifier: './b', typeOnly: true, kind: 'local', to: 'src/b.ts' },
        { from: 'src/a.ts', line: 4, specifier: './b', typeOnly: false, kind: 'local', to: 'src/b.ts' },
        { from: 'src/d.ts', line: 5, specifier: './d', typeOnly: false, kind: 'local', to: 'src/d.ts' },
        { from: 'src/d.ts', line: 6, specifier: './a', typeOnly: false, kind: 'local', to: 'src/a.ts' },
      ],
    };
    expect(findCycles(graph)).toEqual(['src/a.ts:3 -> src/b.ts:1 -> src/c.ts:2 -> src/a.ts', 'src/d.ts:5 -> src/d.ts']);
  });
});
