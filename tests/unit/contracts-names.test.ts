import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_CONTRACTS } from '../../src/contracts';
import { definitions, loadContractExports, QUERY_NAMES, SIGNAL_AND_UPDATE_NAMES } from '../support/contract-exports';
import { listTs, relPosix } from '../support/import-graph';

// One contract per workflow (docs/architecture.md, principle 8): no code outside src/contracts spells a workflow
// type, a query, signal or update name, or defines one; nothing starts a run by a string type
// (tests/unit/contracts-per-workflow.test.ts checks that every workflow has exactly one contract).

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const CONTRACTS_DIR = 'src/contracts/';

/**
 * The same text meaning something else, each with its reason. Kept short on purpose: a new entry needs one.
 * - 'flagged' in the case run is the audit timeline's entry type for an entry that joined the case (shown to
 *   staff on the timeline), not the signal; renaming either would change stored timelines or running cases.
 */
const EXEMPT = [{ file: 'src/workflows/crisis-case-run.ts', literal: 'flagged' }];

beforeAll(loadContractExports);

// ---- The grep checks: functions of one parsed file, so the same code runs on src/ and on the inline cases below.

/** A string literal that names a module (import/export/require/import()), not a value. */
function isModuleSpecifier(node: ts.Node): boolean {
  const p = node.parent;
  return (
    ((ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) && p.moduleSpecifier === node) ||
    ts.isExternalModuleReference(p) ||
    (ts.isLiteralTypeNode(p) && ts.isImportTypeNode(p.parent)) ||
    (ts.isCallExpression(p) &&
      p.arguments[0] === node &&
      (p.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(p.expression) && p.expression.text === 'require')))
  );
}

function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

function walk(sf: ts.SourceFile, visit: (node: ts.Node) => void) {
  const go = (node: ts.Node) => {
    visit(node);
    ts.forEachChild(node, go);
  };
  go(sf);
}

/** `src/api/x.ts:12  <the source line>` */
function where(sf: ts.SourceFile, node: ts.Node, root = ROOT): string {
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const text = sf.text.split('\n')[line]!.trim();
  return `${relPosix(root, sf.fileName)}:${line + 1}  ${text.length > 140 ? `${text.slice(0, 140)}…` : text}`;
}

/**
 * String literals (in value and type positions alike) and the literal parts of template strings whose text is
 * one of `names`. Comments are trivia, not nodes, so they are never seen; module specifiers are skipped.
 */
function literalOffenders(sf: ts.SourceFile, names: ReadonlySet<string>, root = ROOT): string[] {
  const found: string[] = [];
  walk(sf, (node) => {
    const isText =
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node);
    if (!isText || isModuleSpecifier(node)) return;
    const text = (node as ts.LiteralLikeNode).text;
    if (names.has(text)) found.push(`'${text}' at ${where(sf, node, root)}`);
  });
  return found;
}

/** Calls that define a query, signal or update (our `defineProgressQuery` helper included). */
const DEFINING = new Set(['defineQuery', 'defineSignal', 'defineUpdate', 'defineProgressQuery']);
function defineOffenders(sf: ts.SourceFile, root = ROOT): string[] {
  const found: string[] = [];
  walk(sf, (node) => {
    if (ts.isCallExpression(node) && DEFINING.has(calleeName(node) ?? '')) {
      found.push(`${calleeName(node)}() at ${where(sf, node, root)}`);
    }
  });
  return found;
}

/** `x.workflow.start|execute(…)`, `workflow.start(…)`, `signalWithStart(…)`, `startChild(…)`, `executeChild(…)`. */
function isStartCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name === 'signalWithStart' || name === 'startChild' || name === 'executeChild') return true;
  const e = call.expression;
  if (!ts.isPropertyAccessExpression(e) || (name !== 'start' && name !== 'execute')) return false;
  const owner = e.expression;
  return (
    (ts.isIdentifier(owner) && owner.text === 'workflow') ||
    (ts.isPropertyAccessExpression(owner) && owner.name.text === 'workflow')
  );
}

/** Start calls whose first argument is a string: by syntax (literal, template) or by type (`string` variable). */
function stringStartOffenders(sf: ts.SourceFile, checker: ts.TypeChecker, root = ROOT): string[] {
  const isString = (arg: ts.Expression) => {
    if (ts.isStringLiteralLike(arg) || ts.isTemplateExpression(arg)) return true;
    const type = checker.getTypeAtLocation(arg);
    const parts = type.isUnion() ? type.types : [type];
    return parts.every((t) => (t.flags & ts.TypeFlags.StringLike) !== 0);
  };
  const found: string[] = [];
  walk(sf, (node) => {
    if (ts.isCallExpression(node) && isStartCall(node) && node.arguments[0] && isString(node.arguments[0])) {
      found.push(`${calleeName(node)}(${node.arguments[0].getText(sf)}, …) at ${where(sf, node, root)}`);
    }
  });
  return found;
}

/** A program over `files` with the repository's compiler options (types come from the checker, not guesses). */
function programOf(files: string[]): ts.Program {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (f) => fs.readFileSync(f, 'utf8'));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const compilerOptions = { ...options, noEmit: true };
  // Parent pointers on every node: the checks look at a literal's parent (is it a module specifier?).
  return ts.createProgram(files, compilerOptions, ts.createCompilerHost(compilerOptions, true));
}

const offenderReport = (list: string[]) => `${list.length} offender(s):\n${list.join('\n')}`;

describe('names live in src/contracts only (TypeScript AST of every src file)', () => {
  let program: ts.Program;
  let files: ts.SourceFile[];
  beforeAll(() => {
    const roots = listTs(SRC);
    program = programOf(roots);
    files = roots.map((f) => program.getSourceFile(f)!);
  });
  const outsideContracts = () => files.filter((sf) => !relPosix(ROOT, sf.fileName).startsWith(CONTRACTS_DIR));

  it('no string literal outside src/contracts names a workflow type, a query, a signal or an update', () => {
    const names = new Set([
      ...WORKFLOW_CONTRACTS.keys(),
      ...QUERY_NAMES,
      ...SIGNAL_AND_UPDATE_NAMES,
      ...[...definitions].map((d) => d.name),
    ]);
    const offenders = outsideContracts()
      .flatMap((sf) => literalOffenders(sf, names))
      .filter((o) => !EXEMPT.some((e) => o.startsWith(`'${e.literal}' at ${e.file}:`)));
    expect(offenders, offenderReport(offenders)).toEqual([]);
  });

  it('defineQuery/defineSignal/defineUpdate (and defineProgressQuery) are called only in src/contracts', () => {
    const offenders = outsideContracts().flatMap((sf) => defineOffenders(sf));
    expect(offenders, offenderReport(offenders)).toEqual([]);
  });

  it('no workflow.start/execute, signalWithStart, startChild or executeChild call in src passes a string', () => {
    const checker = program.getTypeChecker();
    const offenders = files.flatMap((sf) => stringStartOffenders(sf, checker));
    expect(offenders, offenderReport(offenders)).toEqual([]);
  });
});

describe('the grep checks themselves', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-grep-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const source = [
    "import { defineSignal, startChild } from '@temporalio/workflow';",
    "import type { progress } from './progress';",
    '// a comment naming mealAnalysis and progress is not code',
    "const flagged = defineSignal<[string]>('flagged');",
    'const kind = `mealAnalysis`;',
    'const view = `${kind}progress${kind}`;',
    "type Q = 'progress';",
    'declare const client: { workflow: { start(w: unknown, o?: unknown): void } };',
    'declare const workflowType: string;',
    "client.workflow.start('mealAnalysis');",
    'client.workflow.start(workflowType);',
    'client.workflow.start(async function mealAnalysis() {});',
    "void startChild('mealBatch', {});",
    'export { flagged, view };',
    'export type { Q, progress };',
  ].join('\n');
  const file = path.join(tmp, 'bad.ts');
  fs.writeFileSync(file, source);
  const program = programOf([file]);
  const sf = program.getSourceFile(file)!;

  it('finds names in literals and template parts, not in comments or module specifiers', () => {
    const names = new Set(['mealAnalysis', 'mealBatch', 'progress', 'flagged']);
    expect(literalOffenders(sf, names, tmp).map((o) => o.split('  ')[0])).toEqual([
      "'flagged' at bad.ts:4",
      "'mealAnalysis' at bad.ts:5",
      "'progress' at bad.ts:6",
      "'progress' at bad.ts:7",
      "'mealAnalysis' at bad.ts:10",
      "'mealBatch' at bad.ts:13",
    ]);
  });

  it('finds define* calls', () => {
    expect(defineOffenders(sf, tmp).map((o) => o.split('  ')[0])).toEqual(['defineSignal() at bad.ts:4']);
  });

  it('finds starts by a string literal or a string-typed value, not by a workflow function', () => {
    expect(stringStartOffenders(sf, program.getTypeChecker(), tmp).map((o) => o.split('  ')[0])).toEqual([
      "start('mealAnalysis', …) at bad.ts:10",
      'start(workflowType, …) at bad.ts:11',
      "startChild('mealBatch', …) at bad.ts:13",
    ]);
  });
});
