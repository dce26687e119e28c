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

/**
 * Registers the project's search attributes where missing (an existing cluster; the dev server gets them
 * as start flags). Idempotent: existing attributes are left alone.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, logger: Logger): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = SEARCH_ATTRIBUTES.filter((sa) => !known.has(sa.name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((sa) => [sa.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${sa.type}`]]),
    ),
  });
  logger.info({ added: missing.map((sa) => sa.name) }, 'registered search attributes');
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
