import type { CheckResult, HealthStatus } from '../health';
import type { MaintenanceJob } from './jobs';

/**
 * Shapes shared by the maintenance activities and workflows (types only: workflows import them too).
 * Every summary is plain JSON: it is the workflow's result and is stored in `app.maintenance_runs.result`.
 */

/**
 * One bounded pass of a batched chore. A pass stops after a time budget so a huge backlog never outlives
 * its activity timeout; the workflow calls again until `done`.
 */
export interface PassResult {
  /** Counts of this pass only: the workflow adds them up. */
  counts: Record<string, number>;
  /** ISO instant the pass compared against (the same for every pass of a run). */
  cutoff: string;
  done: boolean;
  /** Where the next pass resumes, for chores that walk an ordered set instead of shrinking it. */
  cursor?: string;
  /** Absolute, not per pass: what this run has recorded so far (e.g. its `data_deletions` rows). */
  recordedForRun?: number;
  /** Absolute like `recordedForRun`, for chores that record several counts (e.g. cases and their timelines). */
  recorded?: Record<string, number>;
}

/** A drained chore: summed counts plus how it went. `complete: false` = stopped at the pass cap; the next run continues. */
export type ChoreSummary<K extends string> = { cutoff: string; passes: number; complete: boolean } & Record<K, number>;

export interface MaintenanceEnvelope {
  job: MaintenanceJob;
  requestedBy: string;
  requestId?: string;
  /** The run's reference instant: every cutoff is relative to it. */
  asOf: string;
  /** Optional parts that did not complete (the rest of the run did). */
  warnings: string[];
}

export interface CleanupSummary extends MaintenanceEnvelope {
  job: 'cleanup';
  /** null when that part failed (see warnings). */
  idempotencyKeys: ChoreSummary<'deleted'> | null;
  /** scanned: photos looked at; deleted: old and unreferenced; referenced: old but still used by a meal. */
  orphanUploads: ChoreSummary<'scanned' | 'deleted' | 'referenced'> | null;
  /** found: meals past their input limit + grace; cancelled: run still open; closed: run gone, meal failed here. */
  stuckMeals: ChoreSummary<'found' | 'cancelled' | 'closed'> | null;
  /** Account export archives past their 24 h; absent in runs from before the step existed. */
  expiredExports?: ChoreSummary<'deleted'> | null;
  /** Task schedules a create never wrote, written from the row; absent in runs from before the step existed. */
  taskSchedules?: ChoreSummary<'found' | 'written'> | null;
}

export interface RetentionSummary extends MaintenanceEnvelope {
  job: 'retention';
  /** deleted: meals whose photo this run removed (its data_deletions rows); filesKept: shared with a newer meal. */
  mealImages: ChoreSummary<'deleted' | 'filesDeleted' | 'filesKept'>;
  journalTexts: ChoreSummary<'deleted'>;
  /**
   * Crisis cases kept after their person's erasure, closed longer ago than RETENTION_CRISIS_CASE_DAYS: deleted
   * cases and their timeline events. Absent in runs from before the step existed.
   */
  crisisCases?: ChoreSummary<'deleted' | 'timelineEvents'>;
}

export interface TableStats {
  liveTuples: number;
  deadTuples: number;
  /** pg_total_relation_size: heap, indexes and TOAST. */
  totalBytes: number;
  lastVacuum: string | null;
}

/** One table's VACUUM (ANALYZE) as measured by the activity. */
export interface TableVacuum {
  table: string;
  before: TableStats;
  after: TableStats;
  durationMs: number;
}

export interface TableVacuumReport {
  table: string;
  liveTuples: { before: number; after: number };
  deadTuples: { before: number; after: number };
  totalBytes: { before: number; after: number };
  /** after - before: VACUUM rarely shrinks files (it frees space for reuse), and new map forks can grow them. */
  sizeChangeBytes: number;
  lastVacuum: string | null;
  durationMs: number;
}

export interface VacuumReport {
  tables: TableVacuumReport[];
  totals: {
    tables: number;
    deadTuplesBefore: number;
    deadTuplesAfter: number;
    totalBytesBefore: number;
    totalBytesAfter: number;
    durationMs: number;
  };
}

export interface DatabaseSummary extends MaintenanceEnvelope, VacuumReport {
  job: 'database';
}

export type { HealthStatus };
export type HealthCheckResult = CheckResult;

export interface HealthReport {
  status: HealthStatus;
  /** Names of the checks that were not HEALTHY, sorted. */
  failing: string[];
  checks: Record<string, HealthCheckResult>;
}

export interface HealthReportSummary extends MaintenanceEnvelope, HealthReport {
  job: 'health-report';
  /** What the run did about the status: an ops event, a warning in the log, or nothing. */
  alert: AlertAction;
}

export type AlertAction = 'event' | 'warn' | 'none';

export type MaintenanceSummary = CleanupSummary | RetentionSummary | DatabaseSummary | HealthReportSummary;
