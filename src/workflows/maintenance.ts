import {
  ApplicationFailure,
  type ActivityInterfaceFor,
  CancellationScope,
  isCancellation,
  patched,
  setHandler,
} from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/maintenance';
import { type MaintenanceInput, maintenanceProgressQuery } from '../contracts/maintenance';
import { addCounts, alertActionFor } from '../domain/maintenance/report';
import type {
  AlertAction,
  CleanupSummary,
  DatabaseSummary,
  HealthReportSummary,
  MaintenanceEnvelope,
  MaintenanceSummary,
  PassResult,
  RetentionSummary,
} from '../domain/maintenance/types';
import {
  CLEANUP_STEPS,
  DATABASE_STEPS,
  HEALTH_REPORT_STEPS,
  MAX_PASSES_PER_RUN,
  RETENTION_STEPS,
} from '../contracts/maintenance.policy';
import type { StepPolicy } from '../contracts/steps';
import { describeFailure, proxiesFor, StepTracker } from './step-runner';

/**
 * The maintenance jobs (`maintenanceCleanup`, `maintenanceRetention`, `maintenanceDatabase`,
 * `maintenanceHealthReport`), default queue. Each records its run in `app.maintenance_runs` (begin → work →
 * finish, the finish also after a failure or cancel) and returns its summary, which is what `finish` stores.
 * Only the four workflow functions are exported: index.ts re-exports this whole module into the bundle.
 */

type Acts = ActivityInterfaceFor<MaintenanceActivities>;

// One proxy per step; a batched step's heartbeat timeout is among the options proxiesFor gives it.
const cleanupActs = proxiesFor<MaintenanceActivities, keyof typeof CLEANUP_STEPS>(CLEANUP_STEPS);
const retentionActs = proxiesFor<MaintenanceActivities, keyof typeof RETENTION_STEPS>(RETENTION_STEPS);
const databaseActs = proxiesFor<MaintenanceActivities, keyof typeof DATABASE_STEPS>(DATABASE_STEPS);
const healthActs = proxiesFor<MaintenanceActivities, keyof typeof HEALTH_REPORT_STEPS>(HEALTH_REPORT_STEPS);

type Body<T extends MaintenanceSummary> = (
  tracker: StepTracker,
  asOf: string,
  partial: Record<string, unknown>,
) => Promise<Omit<T, keyof MaintenanceEnvelope>>;

/**
 * The frame every job shares: progress query, the run record, one `asOf` for every cutoff of the run
 * (workflow time: the same on replay and for every retried pass), and a failure that still records what the
 * run had done so far (`partial`).
 */
async function runJob<T extends MaintenanceSummary>(
  job: T['job'],
  input: MaintenanceInput,
  steps: Record<string, StepPolicy>,
  acts: Record<'begin' | 'finish', Acts>,
  body: Body<T>,
): Promise<T> {
  const tracker = new StepTracker(steps);
  setHandler(maintenanceProgressQuery, () => ({ steps: tracker.steps }));
  const asOf = new Date().toISOString();
  const envelope = { job, requestedBy: input.requestedBy, asOf };
  const partial: Record<string, unknown> = {};
  try {
    await tracker.required('begin', () => acts.begin.startMaintenanceRun({ job, requestedBy: input.requestedBy }));
    const outcome = await body(tracker, asOf, partial);
    const summary = { ...envelope, ...outcome, warnings: [...tracker.warnings] } as unknown as T;
    await tracker.required('finish', () =>
      acts.finish.finishMaintenanceRun({ job, status: 'completed', result: summary }),
    );
    return summary;
  } catch (err) {
    const cancelled = isCancellation(err);
    const reason = cancelled ? 'cancelled by request' : describeFailure(err);
    tracker.skipRemaining(['finish']);
    const result = { ...envelope, ...partial, warnings: [...tracker.warnings], error: reason };
    try {
      // Written even while the run is being cancelled: the record of what happened must not be lost.
      await CancellationScope.nonCancellable(() =>
        tracker.required('finish', () => acts.finish.finishMaintenanceRun({ job, status: 'failed', result })),
      );
    } catch {
      // The run's own failure below is the answer that matters; the finish step shows its error in progress.
    }
    if (cancelled) throw err;
    throw ApplicationFailure.nonRetryable(`maintenance ${job} failed: ${reason}`, 'MaintenanceFailed');
  }
}

interface Drained {
  cutoff: string;
  passes: number;
  complete: boolean;
  counts: Record<string, number>;
  recordedForRun: number;
  recorded: Record<string, number>;
}

/** Calls a bounded pass until it is done or the run's pass cap is reached, adding up its counts. */
async function drain(pass: (after?: string) => Promise<PassResult>): Promise<Drained> {
  const counts: Record<string, number> = {};
  let last: PassResult | undefined;
  let passes = 0;
  do {
    last = await pass(last?.cursor);
    passes += 1;
    addCounts(counts, last.counts);
  } while (!last.done && passes < MAX_PASSES_PER_RUN);
  const recorded = last.recorded ?? {};
  return {
    cutoff: last.cutoff,
    passes,
    complete: last.done,
    counts,
    recordedForRun: last.recordedForRun ?? 0,
    recorded,
  };
}

const chore = ({ cutoff, passes, complete }: Drained) => ({ cutoff, passes, complete });
const n = (d: Drained, key: string) => d.counts[key] ?? 0;

/**
 * Expired idempotency records, abandoned uploads, meals stuck without an outcome, expired exports, task schedules a
 * create never wrote. Each part is optional.
 */
export async function maintenanceCleanup(input: MaintenanceInput): Promise<CleanupSummary> {
  return runJob<CleanupSummary>('cleanup', input, CLEANUP_STEPS, cleanupActs, async (tracker, asOf, partial) => {
    const keys = await tracker.optional('idempotencyKeys', () =>
      drain(() => cleanupActs.idempotencyKeys.deleteExpiredIdempotencyKeys({ asOf })),
    );
    const idempotencyKeys = keys ? { ...chore(keys), deleted: n(keys, 'deleted') } : null;
    partial.idempotencyKeys = idempotencyKeys;

    const uploads = await tracker.optional('orphanUploads', () =>
      drain((after) => cleanupActs.orphanUploads.deleteOrphanUploads({ asOf, ...(after ? { after } : {}) })),
    );
    const orphanUploads = uploads
      ? {
          ...chore(uploads),
          scanned: n(uploads, 'scanned'),
          deleted: n(uploads, 'deleted'),
          referenced: n(uploads, 'referenced'),
        }
      : null;
    partial.orphanUploads = orphanUploads;

    const stuck = await tracker.optional('stuckMeals', () =>
      drain((after) => cleanupActs.stuckMeals.closeStuckMeals({ asOf, ...(after ? { after } : {}) })),
    );
    const stuckMeals = stuck
      ? { ...chore(stuck), found: n(stuck, 'found'), cancelled: n(stuck, 'cancelled'), closed: n(stuck, 'closed') }
      : null;
    // patched(): cleanup runs recorded before the export step existed replay without it.
    if (!patched('cleanup-expired-exports')) return { idempotencyKeys, orphanUploads, stuckMeals };
    partial.stuckMeals = stuckMeals;
    const exports = await tracker.optional('expiredExports', () =>
      drain(() => cleanupActs.expiredExports.deleteExpiredExports({ asOf })),
    );
    const expiredExports = exports ? { ...chore(exports), deleted: n(exports, 'deleted') } : null;
    // patched(): cleanup runs recorded before the task-schedule repair existed replay without it.
    if (!patched('cleanup-task-schedules')) return { idempotencyKeys, orphanUploads, stuckMeals, expiredExports };
    partial.expiredExports = expiredExports;
    const repaired = await tracker.optional('taskSchedules', () =>
      drain(() => cleanupActs.taskSchedules.repairTaskSchedules({ asOf })),
    );
    const taskSchedules = repaired
      ? { ...chore(repaired), found: n(repaired, 'found'), written: n(repaired, 'written') }
      : null;
    return { idempotencyKeys, orphanUploads, stuckMeals, expiredExports, taskSchedules };
  });
}

/** Meal photos and journal text past their retention, each deletion recorded in data_deletions. */
export async function maintenanceRetention(input: MaintenanceInput): Promise<RetentionSummary> {
  return runJob<RetentionSummary>(
    'retention',
    input,
    RETENTION_STEPS,
    retentionActs,
    async (tracker, asOf, partial) => {
      const images = await tracker.required('mealImages', () =>
        drain(() => retentionActs.mealImages.expireMealImages({ asOf })),
      );
      // `deleted` is counted from the run's data_deletions rows, exact even when a pass was retried.
      const mealImages = {
        ...chore(images),
        deleted: images.recordedForRun,
        filesDeleted: n(images, 'filesDeleted'),
        filesKept: n(images, 'filesKept'),
      };
      partial.mealImages = mealImages;
      const texts = await tracker.required('journalTexts', () =>
        drain(() => retentionActs.journalTexts.expireJournalTexts({ asOf })),
      );
      const journalTexts = { ...chore(texts), deleted: texts.recordedForRun };
      // patched(): retention runs recorded before the crisis case step existed replay without it.
      if (!patched('retention-crisis-cases')) return { mealImages, journalTexts };
      partial.journalTexts = journalTexts;
      const cases = await tracker.required('crisisCases', () =>
        drain(() => retentionActs.crisisCases.expireRetainedCrisisCases({ asOf })),
      );
      const crisisCases = {
        ...chore(cases),
        deleted: cases.recordedForRun,
        timelineEvents: cases.recorded.timelineEvents ?? 0,
      };
      return { mealImages, journalTexts, crisisCases };
    },
  );
}

/** VACUUM (ANALYZE) of every app table, with per-table stats before and after. */
export async function maintenanceDatabase(input: MaintenanceInput): Promise<DatabaseSummary> {
  return runJob<DatabaseSummary>('database', input, DATABASE_STEPS, databaseActs, async (tracker) =>
    tracker.required('vacuum', () => databaseActs.vacuum.vacuumAppTables()),
  );
}

/** Runs every health check, stores the report, and raises an ops event when the service is UNHEALTHY. */
export async function maintenanceHealthReport(input: MaintenanceInput): Promise<HealthReportSummary> {
  return runJob<HealthReportSummary>(
    'health-report',
    input,
    HEALTH_REPORT_STEPS,
    healthActs,
    async (tracker, _asOf, partial) => {
      const report = await tracker.required('check', () => healthActs.check.runHealthReport());
      Object.assign(partial, report);
      let alert: AlertAction = alertActionFor(report.status);
      if (alert === 'none') tracker.step('alert').status = 'skipped';
      else
        alert = await tracker.required('alert', () =>
          healthActs.alert.alertOnHealth({ status: report.status, failing: report.failing }),
        );
      return { ...report, alert };
    },
  );
}
