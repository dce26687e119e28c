import path from 'node:path';
import { listTs } from './import-graph';

// What src/contracts exports, for the contract tests (tests/unit/contracts-per-workflow.test.ts and
// tests/unit/contracts-names.test.ts).

const CONTRACTS_SRC = path.resolve(__dirname, '..', '..', 'src', 'contracts');

/** The query, signal and update names the grep test looks for (with any other definition src/contracts exports). */
export const QUERY_NAMES = ['progress'];
export const SIGNAL_AND_UPDATE_NAMES = ['flagged', 'acknowledge', 'resolve', 'describeMeal'];

interface ContractLike {
  workflowType: string;
  taskQueue: string;
  workflowId: unknown;
}
interface DefinitionLike {
  type: 'query' | 'signal' | 'update';
  name: string;
}

const isContract = (v: unknown): v is ContractLike =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ContractLike).workflowType === 'string' &&
  typeof (v as ContractLike).taskQueue === 'string' &&
  typeof (v as ContractLike).workflowId === 'function';

const isDefinition = (v: unknown): v is DefinitionLike =>
  typeof v === 'object' &&
  v !== null &&
  ['query', 'signal', 'update'].includes((v as DefinitionLike).type) &&
  typeof (v as DefinitionLike).name === 'string';

/** An exported value and, one level down, the values of an exported Map, array or plain record. */
const valuesOf = (v: unknown): unknown[] => {
  if (v instanceof Map) return [v, ...v.values()];
  if (Array.isArray(v)) return [v, ...v];
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return [v, ...Object.values(v)];
  }
  return [v];
};

// Every contract object and query/signal/update definition any module of src/contracts exports.
export const contracts = new Set<ContractLike>();
export const definitions = new Set<DefinitionLike>();

/** Fills `contracts` and `definitions` (run it in a beforeAll). */
export async function loadContractExports(): Promise<void> {
  for (const file of listTs(CONTRACTS_SRC)) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(mod).flatMap(valuesOf)) {
      if (isContract(value)) contracts.add(value);
      if (isDefinition(value)) definitions.add(value);
    }
  }
}
