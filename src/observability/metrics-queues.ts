import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger';
import { BUSINESS_CACHE_TTL_MS, createBusinessSnapshotCache } from './metrics-business';

/**
 * Task-queue gauges from Temporal's task-queue description (the same read as `GET /v1/queues`): backlog count
 * and age, and pollers, per queue and task type. Why here and not from Temporal's server metrics: the alerts
 * "critical backlog > 0 for 1 min" and "backlog age > 1 min" must fire exactly when no worker polls (the
 * workers' own schedule-to-start latency is then silent), and a managed Temporal (Cloud) does not expose its
 * server metrics to our Prometheus. Read at scrape time, cached like the business counts (one describe per
 * queue and task type per 15 s, whatever the number of scrapers).
 */

export interface TaskQueueSample {
  queue: string;
  taskType: 'workflow' | 'activity';
  backlog: number;
  backlogAgeSeconds: number;
  /** Absent where no worker is meant to poll (workflow tasks of an activity-only queue). */
  pollers?: number;
}

export function registerQueueGauges(
  registers: Registry[],
  read: () => Promise<TaskQueueSample[]>,
  logger: Logger,
  ttl = BUSINESS_CACHE_TTL_MS,
): void {
  const cache = createBusinessSnapshotCache(read, ttl, logger, 'task queues');
  new Gauge({
    name: 'wellflow_task_queue_metrics_up',
    help: '1 when the last task-queue description from Temporal succeeded; 0 when it failed (the queue gauges are then the last good values)',
    registers,
    async collect() {
      this.set((await cache.snapshot()).ok ? 1 : 0);
    },
  });
  const gauge = (name: string, help: string, value: (s: TaskQueueSample) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue', 'task_type'] as const,
      registers,
      async collect() {
        const { data } = await cache.snapshot();
        this.reset();
        for (const s of data ?? []) {
          const v = value(s);
          if (v !== undefined) this.set({ queue: s.queue, task_type: s.taskType }, v);
        }
      },
    });
  gauge('wellflow_task_queue_backlog', "Temporal's approximate count of tasks waiting for a worker", (s) => s.backlog);
  gauge(
    'wellflow_task_queue_backlog_age_seconds',
    'Age of the oldest waiting task (Temporal approximation; 0 without a backlog)',
    (s) => s.backlogAgeSeconds,
  );
  gauge('wellflow_task_queue_pollers', 'Workers polling the queue for this task type', (s) => s.pollers);
}
