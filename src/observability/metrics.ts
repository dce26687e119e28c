import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import {
  BUSINESS_CACHE_TTL_MS,
  type BusinessSnapshot,
  createBusinessSnapshotCache,
  readBusinessSnapshot,
  registerBusinessGauges,
} from './metrics-business';
import { createHttpMetrics } from './metrics-http';
import { registerQueueGauges, type TaskQueueSample } from './metrics-queues';
import { createWorkflowStartInterceptor } from './metrics-temporal';

/**
 * Prometheus metrics of one API process: HTTP traffic, Temporal workflow starts made through its client,
 * business counts read from PostgreSQL at scrape time, and Node.js process metrics.
 *
 * One `Registry` per `createMetrics` call, never prom-client's global default registry: tests build several
 * apps in one process, and a second registration of the same name in a shared registry throws.
 */

export {
  BUSINESS_CACHE_TTL_MS,
  ESCALATION_EVENT_TYPE,
  readBusinessSnapshot,
  type BusinessSnapshot,
} from './metrics-business';
export { HTTP_DURATION_BUCKETS, methodLabel, routeLabel, UNMATCHED_ROUTE } from './metrics-http';

export interface Metrics {
  registry: Registry;
  /** Hono middleware: register it first (`app.use('*', …)`) so it times the whole request. */
  httpMiddleware: MiddlewareHandler;
  /** For the client's `interceptors.workflow`: counts workflow starts by type. */
  workflowStartInterceptor: WorkflowClientInterceptor;
  /**
   * Adds the task-queue gauges (metrics-queues.ts) read through `read`, once the Temporal client exists (the
   * client needs `workflowStartInterceptor` first). A second call is a no-op.
   */
  watchTaskQueues(read: () => Promise<TaskQueueSample[]>): void;
  close(): Promise<void>;
}

export interface MetricsOptions {
  database: Pick<Database, 'sql'>;
  logger: Logger;
  /** Reuse of one business-count read; tests pass 0 to read on every scrape. */
  businessCacheTtlMs?: number;
  /** Reads the business counts; default `readBusinessSnapshot(database.sql)`. Unit tests substitute one. */
  readBusiness?: () => Promise<BusinessSnapshot>;
  /** Process metrics (CPU, memory, event loop, GC); tests may turn them off. Default: on. */
  defaultMetrics?: boolean;
}

export function createMetrics(opts: MetricsOptions): Metrics {
  const { database, logger } = opts;
  const ttl = opts.businessCacheTtlMs ?? BUSINESS_CACHE_TTL_MS;
  const readBusiness = opts.readBusiness ?? (() => readBusinessSnapshot(database.sql));
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'wellflow_' });

  // Registration order is the order of the exposition: HTTP, Temporal client, business counts.
  const httpMiddleware = createHttpMetrics(registers);
  const workflowStartInterceptor = createWorkflowStartInterceptor(registers);
  // Full counts from the database rather than in-process counters: see metrics-business.ts.
  const business = createBusinessSnapshotCache(readBusiness, ttl, logger);
  registerBusinessGauges(registers, business.snapshot);

  let watchingQueues = false;
  return {
    registry,
    httpMiddleware,
    workflowStartInterceptor,
    watchTaskQueues(read) {
      if (watchingQueues) return;
      watchingQueues = true;
      registerQueueGauges(registers, read, logger, ttl);
    },
    async close() {
      registry.clear();
      business.reset();
    },
  };
}
