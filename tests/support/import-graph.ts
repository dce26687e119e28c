import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import * as ts from 'typescript';

// The import graph of a source tree, read from the TypeScript AST (never from text, so comments and strings
// that look like imports do not count). Used by tests/unit/workflow-imports.test.ts (what workflow code pulls
// in by value) and tests/unit/layers.test.ts (which layer may import which, and no cycles).

/** One import-like reference in a file. */
export interface ImportRef {
  specifier: string;
  /** 1-based line of the import statement (or call). */
  line: number;
  /**
   * True when the compiler erases it: `import type`, an import whose named bindings are all `type`,
   * `export type`, `import type x = require()`, and `typeof import('...')` in a type position.
   */
  typeOnly: boolean;
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** A Node built-in module (`fs`, `node:fs`, `fs/promises`, `node:test`...). */
export const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!);

/** The package a bare specifier belongs to: `@scope/name/sub/path` → `@scope/name`, `fs/promises` → `fs`. */
export function packageName(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier.split('/')[0]!;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every import, re-export, `require()`, dynamic `import()` and `import('...')` type of one source text. */
export function parseImports(source: string, fileName = 'inline.ts'): ImportRef[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const found: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Node | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec)) {
      found.push({
        specifier: spec.text,
        line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
        typeOnly,
      });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      // `import {} from 'x'` and `import 'x'` keep the module (side effects): value imports.
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(node, arg.literal, true);
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The imports of `source` that survive compilation (type-only ones are erased by the compiler). */
export const valueImports = (source: string, fileName = 'inline.ts'): ImportRef[] =>
  parseImports(source, fileName).filter((i) => !i.typeOnly);

/** The .ts or .json file a relative specifier names (`./x`, `./x.ts`, `./x.js`, `./x/index.ts`, `./x.json`). */
export function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  return candidates.find((c) => /\.(tsx?|json)$/.test(c) && fs.existsSync(c) && fs.statSync(c).isFile());
}

/** Every .ts and .tsx file (not .d.ts) under `dir`, sorted. */
export const listTs = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return listTs(full);
      return e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();

/** A path relative to `root`, with forward slashes on every platform (`src/domain/x.ts`). */
export const relPosix = (root: string, file: string): string => path.relative(root, file).split(path.sep).join('/');

export interface ImportEdge {
  /** Importing file, relative to the graph's root (`src/api/deps.ts`). */
  from: string;
  line: number;
  specifier: string;
  typeOnly: boolean;
  /**
   * `local`: a file of ours (`to` is its root-relative path); `package`: a bare specifier (`to` is the
   * specifier, `pkg` its package); `unresolved`: a relative specifier that names no .ts/.json file.
   */
  kind: 'local' | 'package' | 'unresolved';
  to: string;
  pkg?: string;
}

export interface ImportGraph {
  root: string;
  /** Every .ts file scanned, root-relative and sorted. */
  files: string[];
  edges: ImportEdge[];
}

/** The import graph of every .ts file under `root/<dir>` (default `src`). Paths are relative to `root`. */
export function buildImportGraph(root: string, dir = 'src'): ImportGraph {
  const files = listTs(path.join(root, dir));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const from = relPosix(root, file);
    for (const ref of parseImports(fs.readFileSync(file, 'utf8'), from)) {
      const base = { from, line: ref.line, specifier: ref.specifier, typeOnly: ref.typeOnly };
      if (ref.specifier.startsWith('.')) {
        const target = resolveRelative(file, ref.specifier);
        edges.push(
          target
            ? { ...base, kind: 'local', to: relPosix(root, target) }
            : { ...base, kind: 'unresolved', to: ref.specifier },
        );
      } else {
        edges.push({ ...base, kind: 'package', to: ref.specifier, pkg: packageName(ref.specifier) });
      }
    }
  }
  return { root, files: files.map((f) => relPosix(root, f)), edges };
}

/** `src/a.ts:3 -> src/b.ts` (plus ` (type-only)` when the compiler erases the import). */
export const formatEdge = (e: ImportEdge): string =>
  `${e.from}:${e.line} -> ${e.to}${e.typeOnly ? ' (type-only)' : ''}`;

/**
 * Every import cycle among the graph's local files, type-only edges included (a type cycle still ties two
 * modules together for the reader and the compiler). Tarjan's algorithm finds the strongly connected
 * components; for each file of a component the shortest cycle through it is reported (rotated to start at its
 * smallest file, deduplicated), so a component yields at most one cycle per file, not every elementary cycle.
 * Each cycle is a path `src/a.ts:3 -> src/b.ts:9 (type) -> src/a.ts`: the line is the import in the file
 * before the arrow, `(type)` marks an edge whose imports are all type-only.
 */
export function findCycles(graph: ImportGraph): string[] {
  const nodes = new Set(graph.files);
  // One edge per (from, to): its first line, type-only only when every import between the two is.
  const adj = new Map<string, Map<string, { line: number; typeOnly: boolean }>>();
  for (const e of graph.edges) {
    if (e.kind !== 'local' || !nodes.has(e.to)) continue;
    const out = adj.get(e.from) ?? new Map<string, { line: number; typeOnly: boolean }>();
    adj.set(e.from, out);
    const prev = out.get(e.to);
    out.set(
      e.to,
      prev
        ? { line: Math.min(prev.line, e.line), typeOnly: prev.typeOnly && e.typeOnly }
        : { line: e.line, typeOnly: e.typeOnly },
    );
  }
  const succ = (n: string) => [...(adj.get(n)?.keys() ?? [])].sort();

  // Tarjan's SCC, iterative (no recursion limit on deep graphs).
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of [...nodes].sort()) {
    if (idx.has(start)) continue;
    const work: { node: string; next: number; succs: string[] }[] = [];
    const open = (n: string) => {
      idx.set(n, index);
      low.set(n, index);
      index += 1;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, next: 0, succs: succ(n) });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.succs.length) {
        const w = frame.succs[frame.next++]!;
        if (!idx.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, idx.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === idx.get(frame.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.node);
        components.push(comp.sort());
      }
    }
  }

  const cycles = new Set<string>();
  for (const comp of components) {
    const inComp = new Set(comp);
    if (comp.length === 1 && !adj.get(comp[0]!)?.has(comp[0]!)) continue;
    for (const first of comp) {
      // Shortest path first → ... → first inside the component (BFS).
      const prev = new Map<string, string>();
      const queue = [first];
      let found = false;
      while (queue.length > 0 && !found) {
        const n = queue.shift()!;
        for (const w of succ(n).filter((s) => inComp.has(s))) {
          if (w === first) {
            prev.set(first, n);
            found = true;
            break;
          }
          if (!prev.has(w)) {
            prev.set(w, n);
            queue.push(w);
          }
        }
      }
      const ring: string[] = [];
      let n = prev.get(first)!;
      ring.unshift(first);
      while (n !== first) {
        ring.splice(1, 0, n);
        n = prev.get(n)!;
      }
      // Rotate so the ring starts at its smallest file: the same cycle found from two files prints once.
      const min = ring.indexOf([...ring].sort()[0]!);
      const rotated = [...ring.slice(min), ...ring.slice(0, min)];
      const hops = rotated.map((from, i) => {
        const to = rotated[(i + 1) % rotated.length]!;
        const edge = adj.get(from)!.get(to)!;
        return `${from}:${edge.line}${edge.typeOnly ? ' (type)' : ''}`;
      });
      cycles.add([...hops, rotated[0]].join(' -> '));
    }
  }
  return [...cycles].sort();
}
