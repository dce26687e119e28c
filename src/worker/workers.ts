import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from '../logger';
import { WORKFLOW_QUEUES } from '../contracts';
import type { QueueName } from '../contracts/queues';
import { QUEUE_TUNING } from './tuning';
import { requestIdActivityInterceptor } from '../temporal/interceptors/activity';
import { attemptReportInterceptor } from '../temporal/interceptors/attempts';
import { NO_TRACING, type Tracing } from '../observability/tracing';

export interface WorkerSetOptions {
  address: string;
  namespace: string;
  queues: QueueName[];
  /** The workflow bundle; only needed when a queue in `queues` hosts workflows (WORKFLOW_QUEUES). */
  bundlePath?: string;
  activities: object;
  dataConverter: DataConverter;
  logger: Logger;
  /** OpenTelemetry activity interceptors and the workflow span sink (always registered: see tracing.ts). */
  tracing?: Pick<Tracing, 'activityInterceptors' | 'sinks'>;
}

export interface WorkerSet {
  /** Resolves when every worker has stopped; rejects if one fails. */
  done: Promise<void>;
  /** Stops polling, lets in-flight activities finish within their grace time, then resolves. */
  shutdown(): Promise<void>;
  /** Undefined while every worker runs and Temporal answers the workers' connection; else what is wrong. */
  problem(): Promise<string | undefined>;
}

/**
 * How long the liveness probe waits for Temporal on the workers' connection. Why 3 s: the same bound as the
 * health checks (CHECK_TIMEOUT_MS); a frontend on the same network answers in milliseconds, and an orchestrator's
 * probe (compose: timeout 5 s) must get an answer before it gives up on its own.
 */
const LIVENESS_PROBE_MS = 3_000;

/** One Temporal worker per task queue, sharing one connection; any subset of queues per process. */
export async function startWorkers(opts: WorkerSetOptions): Promise<WorkerSet> {
  // Checked before connecting, so a missing bundle leaves no connection open.
  const needsBundle = opts.queues.filter((q) => WORKFLOW_QUEUES.has(q));
  if (needsBundle.length && !opts.bundlePath)
    throw new Error(`the ${needsBundle.join(', ')} queue(s) run workflows: startWorkers needs a bundlePath`);
  const connection = await NativeConnection.connect({ address: opts.address });
  const workers = await Promise.all(
    opts.queues.map((queue) =>
      Worker.create({
        connection,
        namespace: opts.namespace,
        taskQueue: queue,
        // A queue no workflow runs on (heavy) gets an activity-only worker: no workflow thread and isolate.
        ...(WORKFLOW_QUEUES.has(queue) ? { workflowBundle: { codePath: opts.bundlePath! } } : {}),
        activities: opts.activities,
        dataConverter: opts.dataConverter,
        // The attempt report is outermost: it wraps the result every other interceptor has already seen.
        interceptors: {
          activity: [
            attemptReportInterceptor,
            requestIdActivityInterceptor,
            ...(opts.tracing?.activityInterceptors ?? []),
          ],
        },
        sinks: (opts.tracing ?? NO_TRACING).sinks,
        ...QUEUE_TUNING[queue],
      }),
    ),
  );
  // The connection closes as soon as the workers stop: left open, a retried local activity's stale start-to-close
  // timer panics in sdk-core a few seconds later (temporalio/sdk-rust#1454; docs/performance.md).
  const done = Promise.all(workers.map((w) => w.run())).then(async () => {
    await connection.close();
  });
  opts.logger.info({ queues: opts.queues }, 'workers polling');
  return {
    done,
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
    async problem() {
      const stopped = workers.flatMap((w, i) =>
        w.getState() === 'RUNNING' ? [] : [`${opts.queues[i]} ${w.getState()}`],
      );
      if (stopped.length) return `workers not running: ${stopped.join(', ')}`;
      try {
        await connection.withDeadline(Date.now() + LIVENESS_PROBE_MS, () =>
          connection.workflowService.getSystemInfo({}),
        );
        return undefined;
      } catch (err) {
        return `Temporal does not answer the workers' connection: ${(err as Error).message}`;
      }
    },
  };
}
