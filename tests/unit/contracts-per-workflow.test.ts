import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_CONTRACTS, WORKFLOW_QUEUES } from '../../src/contracts';
import { QUEUES } from '../../src/contracts/queues';
import * as workflows from '../../src/workflows';
import {
  contracts,
  definitions,
  loadContractExports,
  QUERY_NAMES,
  SIGNAL_AND_UPDATE_NAMES,
} from '../support/contract-exports';

// One contract per workflow (docs/architecture.md, principle 8): every workflow the bundle exports has exactly
// one contract under its own function name (tests/unit/contracts-names.test.ts checks that no code outside
// src/contracts spells a workflow type, a query, signal or update name, or starts a run by a string type).

const exportedWorkflows = Object.entries(workflows).filter(([, v]) => typeof v === 'function');

beforeAll(loadContractExports);

describe('one contract per workflow', () => {
  it('src/workflows/index.ts exports workflow functions under their own names', () => {
    expect(exportedWorkflows.length).toBeGreaterThanOrEqual(6);
    const renamed = exportedWorkflows.filter(([key, fn]) => (fn as { name: string }).name !== key).map(([k]) => k);
    // The worker registers a workflow by its export name, a client start by the function's name: they must agree.
    expect(renamed, `exported under another name than the function's: ${renamed.join(', ')}`).toEqual([]);
  });

  it('every exported workflow has exactly one contract in WORKFLOW_CONTRACTS, under its name', () => {
    const problems = exportedWorkflows.flatMap(([name]) => {
      const matching = [...WORKFLOW_CONTRACTS.values()].filter((c) => c.workflowType === name);
      return matching.length === 1 ? [] : [`${name}: ${matching.length} contracts in WORKFLOW_CONTRACTS`];
    });
    const misfiled = [...WORKFLOW_CONTRACTS].filter(([key, c]) => key !== c.workflowType).map(([key]) => key);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(misfiled, `keys that differ from their contract's workflowType: ${misfiled.join(', ')}`).toEqual([]);
  });

  it('no two contract objects exported by src/contracts share a workflow type (the Map would hide one)', () => {
    const byType = new Map<string, number>();
    for (const c of contracts) byType.set(c.workflowType, (byType.get(c.workflowType) ?? 0) + 1);
    const dup = [...byType].filter(([, n]) => n > 1).map(([t, n]) => `${t}: ${n} contracts`);
    expect(dup, dup.join('\n')).toEqual([]);
    const unlisted = [...contracts].filter((c) => WORKFLOW_CONTRACTS.get(c.workflowType) !== c);
    expect(
      unlisted.map((c) => c.workflowType),
      'contracts not in WORKFLOW_CONTRACTS',
    ).toEqual([]);
  });

  it("every contract's workflowType names an exported workflow", () => {
    const exported = new Set(exportedWorkflows.map(([name]) => name));
    const orphans = [...WORKFLOW_CONTRACTS.values()].map((c) => c.workflowType).filter((t) => !exported.has(t));
    expect(orphans, `contracts without an exported workflow: ${orphans.join(', ')}`).toEqual([]);
  });

  it("every contract's taskQueue is a key of QUEUES", () => {
    const bad = [...WORKFLOW_CONTRACTS.values()]
      .filter((c) => !Object.keys(QUEUES).includes(c.taskQueue))
      .map((c) => `${c.workflowType}: ${c.taskQueue}`);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('WORKFLOW_QUEUES is exactly the queues the contracts run on; heavy carries activities only', () => {
    // A worker gets a workflow bundle only for these queues: a queue missing here would leave its runs unpolled.
    const used = new Set([...WORKFLOW_CONTRACTS.values()].map((c) => c.taskQueue));
    expect([...WORKFLOW_QUEUES].sort()).toEqual([...used].sort());
    expect(WORKFLOW_QUEUES.has('heavy')).toBe(false);
    expect([...WORKFLOW_QUEUES].sort()).toEqual(['critical', 'default']);
  });

  it('the query, signal and update names checked below are ones src/contracts defines', () => {
    const defined = new Set([...definitions].map((d) => d.name));
    const missing = [...QUERY_NAMES, ...SIGNAL_AND_UPDATE_NAMES].filter((n) => !defined.has(n));
    expect(missing, `not defined by any contract: ${missing.join(', ')}`).toEqual([]);
  });
});
