import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { requestIdClientInterceptor } from './interceptors/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from '../logger';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';

/** Connects to Temporal, retrying while the server starts (compose or dev server still booting). */
export async function connectTemporal(address: string, logger: Logger, timeoutMs = 60_000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 5_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      lastError = err;
      logger.debug({ err: String(err) }, 'Temporal not answering yet');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000} s: ${String(lastError)}`);
}

export function createClient(
  connection: Connection,
  namespace: string,
  dataConverter: DataConverter,
  extraInterceptors: WorkflowClientInterceptor[] = [],
): Client {
  return new Client({
    connection,
    namespace,
    dataConverter,
    interceptors: { workflow: [requestIdClientInterceptor(), ...extraInterceptors] },
  });
}

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** Temporal's spelling of a search attribute type, as the CLI and the Web UI show it (`Keyword`, `KeywordList`). */
function typeName(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function nameOfIndexedType(value: number | null | undefined): string {
  const key = IndexedValueType[value ?? 0] as string | undefined;
  return key ? typeName(key.replace(/^INDEXED_VALUE_TYPE_/, '')) : `type ${String(value)}`;
}

export interface SearchAttributeState {
  /** Declared attributes the namespace does not have. */
  missing: string[];
  /** Declared attributes the namespace has with another type (Temporal cannot change a type in place). */
  wrongType: { name: string; expected: string; actual: string }[];
}

/** Which of the project's search attributes (SEARCH_ATTRIBUTES) the namespace lacks or has with the wrong type. */
export async function searchAttributeState(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<SearchAttributeState> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const custom = existing.customAttributes ?? {};
  const system = existing.systemAttributes ?? {};
  const state: SearchAttributeState = { missing: [], wrongType: [] };
  for (const sa of SEARCH_ATTRIBUTES) {
    const actual = custom[sa.name] ?? system[sa.name];
    if (actual === undefined) state.missing.push(sa.name);
    else if (actual !== IndexedValueType[`INDEXED_VALUE_TYPE_${sa.type}`])
      state.wrongType.push({ name: sa.name, expected: typeName(sa.type), actual: nameOfIndexedType(actual) });
  }
  return state;
}

/** One sentence for an operator: which attributes have the wrong type and what to do. */
export function wrongTypeMessage(namespace: string, wrong: SearchAttributeState['wrongType']): string {
  const list = wrong.map((w) => `${w.name} is ${w.actual} (Wellflow needs ${w.expected})`).join(', ');
  return (
    `Temporal namespace ${namespace} has search attributes of the wrong type: ${list}. ` +
    'Temporal cannot change a type in place: remove them (`temporal operator search-attribute remove`) and run `wellflow migrate` again'
  );
}

/**
 * Registers the project's search attributes where missing: `wellflow migrate` against any Temporal, and
 * `wellflow dev` (whose dev server also gets them as start flags). Idempotent: an existing attribute of the
 * right type is left alone; one of another type is an error (nothing is changed). Returns the names it created.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  logger: Logger,
): Promise<string[]> {
  const state = await searchAttributeState(connection, namespace);
  if (state.wrongType.length) throw new Error(wrongTypeMessage(namespace, state.wrongType));
  if (state.missing.length === 0) return [];
  const missing = SEARCH_ATTRIBUTES.filter((sa) => state.missing.includes(sa.name));
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((sa) => [sa.name, IndexedValueType[`INDEXED_VALUE_TYPE_${sa.type}`]]),
      ),
    });
  } catch (err) {
    // Two processes racing (two `migrate` jobs, `dev` and `migrate`): the other one added them first.
    const after = await searchAttributeState(connection, namespace);
    if (after.wrongType.length) throw new Error(wrongTypeMessage(namespace, after.wrongType));
    if (after.missing.length) throw err;
    return [];
  }
  logger.info({ added: state.missing, namespace }, 'registered search attributes');
  return state.missing;
}

/**
 * The dev server keeps closed runs for one day by default; a local stack should keep a month of history
 * so `GET /v1/workflows` still shows last week's runs. Clusters keep their operator's setting.
 */
export async function setDevRetention(connection: Connection, namespace: string, days = 30): Promise<void> {
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(days * 24 * 3600) } },
  });
}
