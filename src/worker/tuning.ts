import type { QueueName } from '../contracts/queues';

/**
 * Per-queue worker settings, sized for a 2-core machine that also runs the API and a dev server.
 * Each value says why it is that value.
 */
export interface QueueTuning {
  /** Concurrent activities: I/O-bound steps can overlap; CPU-bound ones cannot beat the core count. */
  maxConcurrentActivityTaskExecutions: number;
  /**
   * Workflows kept in memory (~1 MB each with reuseV8Context): beyond it, histories are replayed on demand.
   * Only for a queue that runs workflows (WORKFLOW_QUEUES); an activity-only worker has no cache.
   */
  maxCachedWorkflows?: number;
  /** Time in-flight activities get to finish on shutdown before they are cancelled (SDK default 0 = at once). */
  shutdownGraceTime: string;
}

export const QUEUE_TUNING: Record<QueueName, QueueTuning> = {
  // Crisis cases wait on long timers: caching 200 keeps the active ones hot without holding 10,000 open
  // cases in memory; 20 activity slots of its own so a case never waits behind batch work.
  critical: { maxConcurrentActivityTaskExecutions: 20, maxCachedWorkflows: 200, shutdownGraceTime: '10s' },
  // Short DB-bound steps: 50 slots overlap their I/O; 10 s covers any one of them (timeouts are 15-30 s).
  default: { maxConcurrentActivityTaskExecutions: 50, maxCachedWorkflows: 400, shutdownGraceTime: '10s' },
  // Image decoding and inference are CPU-bound: 2 slots = 2 cores; 30 s lets an inference call finish. Activities
  // only (no workflow runs on heavy), so no workflow cache.
  heavy: { maxConcurrentActivityTaskExecutions: 2, shutdownGraceTime: '30s' },
};
