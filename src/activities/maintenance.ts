import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent, subjectFor } from '../adapters/events/schema';
import { InvalidImageKey, type ImageStore } from '../adapters/images/store';
import type { HealthChecker } from '../api/health-checks';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createMaintenanceRepository, type RunStatus } from '../db/repositories/maintenance';
import { daysBefore, hoursBefore, stuckMealCutoff } from '../domain/maintenance/cutoffs';
import { InvalidDuration } from '../domain/maintenance/duration';
import type { MaintenanceJob } from '../domain/maintenance/jobs';
import { alertActionFor, healthReportOf, summariseVacuumReport } from '../domain/maintenance/report';
import type {
  AlertAction,
  HealthReport,
  HealthStatus,
  PassResult,
  TableVacuum,
  VacuumReport,
} from '../domain/maintenance/types';
import type { Logger } from '../logger';

export interface MaintenanceActivityDeps {
  config: Config;
  database: Database;
  images: ImageStore;
  temporal: Client;
  events: EventPublisher;
  health: Pick<HealthChecker, 'runAll'>;
  logger: Logger;
}

/** Rows (or files) per statement: one batch is a few hundred milliseconds of work, never a long lock. */
export const MAINTENANCE_BATCH = 500;
/**
 * A pass stops starting new batches after this long and lets the workflow call again: keeps every attempt
 * far inside its 5 min startToCloseTimeout however big the backlog, and a retry redoes at most one pass.
 */
export const PASS_BUDGET_MS = 60_000;
/** Concurrent describe/cancel calls to Temporal while closing stuck meals: quick, but not a burst of 500. */
const TEMPORAL_CONCURRENCY = 8;
/** VACUUM of one table is a single statement we cannot interrupt to heartbeat, so a timer does it meanwhile. */
const VACUUM_HEARTBEAT_MS = 10_000;

export const ABANDONED_MEAL_REASON = 'abandoned: its run ended without closing the meal';
export const UNHEALTHY_SUBJECT = subjectFor('ops.unhealthy');

/** The run this activity belongs to: its run id keys `maintenance_runs` and `data_deletions`. */
function currentRun(): { workflowId: string; runId: string } {
  const run = Context.current().info.workflowExecution;
  if (!run)
    throw ApplicationFailure.nonRetryable(
      'maintenance activities run only inside a workflow',
      'MaintenanceOutsideWorkflow',
    );
  return run;
}

/** Between batches: tell the server we are alive (and learn of a cancellation), then stop if cancelled. */
function checkpoint(details?: unknown): void {
  const ctx = Context.current();
  ctx.heartbeat(details);
  if (ctx.cancellationSignal.aborted) throw new CancelledFailure('maintenance pass cancelled');
}

/** Runs `batch` until it reports no more work or the pass budget is spent; true when the work is done. */
async function untilDoneOrBudget(batch: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + PASS_BUDGET_MS;
  for (;;) {
    if (!(await batch())) return true;
    checkpoint();
    if (Date.now() >= until) return false;
  }
}

async function inChunks<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/**
 * Thin, idempotent adapters for the four maintenance jobs. Cutoffs are computed from the run's `asOf`
 * (workflow time), never from the clock here, so retries and later passes act on the same set of rows.
 */
export function createMaintenanceActivities(deps: MaintenanceActivityDeps) {
  const { config, images, temporal, events } = deps;
  const repo = createMaintenanceRepository(deps.database);
  const log = () => {
    const info = Context.current().info;
    return deps.logger.child({
      component: 'maintenance',
      activity: info.activityType,
      attempt: info.attempt,
      workflowId: info.workflowExecution?.workflowId,
      runId: info.workflowExecution?.runId,
    });
  };

  return {
    async startMaintenanceRun(input: { job: MaintenanceJob; requestedBy: string; requestId?: string }): Promise<void> {
      const run = currentRun();
      await repo.startRun({ runId: run.runId, workflowId: run.workflowId, job: input.job });
      log().info(
        { job: input.job, requestedBy: input.requestedBy, requestId: input.requestId },
        'maintenance run started',
      );
    },

    async finishMaintenanceRun(input: {
      job: MaintenanceJob;
      status: Exclude<RunStatus, 'running'>;
      result: unknown;
    }): Promise<void> {
      const run = currentRun();
      await repo.finishRun({
        runId: run.runId,
        workflowId: run.workflowId,
        job: input.job,
        status: input.status,
        result: input.result,
      });
      log()[input.status === 'failed' ? 'warn' : 'info'](
        { job: input.job, status: input.status },
        'maintenance run finished',
      );
    },

    // ---- cleanup -------------------------------------------------------------------------------------

    async deleteExpiredIdempotencyKeys(input: { asOf: string }): Promise<PassResult> {
      const cutoff = hoursBefore(input.asOf, config.IDEMPOTENCY_TTL_HOURS);
      let deleted = 0;
      const done = await untilDoneOrBudget(async () => {
        const n = await repo.deleteExpiredIdempotencyKeys(cutoff, MAINTENANCE_BATCH);
        deleted += n;
        return n === MAINTENANCE_BATCH;
      });
      return { counts: { deleted }, cutoff: cutoff.toISOString(), done };
    },

    /**
     * Photos no meal refers to and older than ORPHAN_UPLOAD_HOURS: uploads whose meal was never created, and
     * the model-sized copies the preprocess step stores for recognition (needed only minutes). Walks the store
     * in key order, so a pass that runs out of budget returns where to continue.
     * The reference check runs per batch right before the deletes: an upload of the same bytes as an old
     * orphan (put() reuses the file) and its meal row land within milliseconds, a window we accept.
     */
    async deleteOrphanUploads(input: { asOf: string; after?: string }): Promise<PassResult> {
      const cutoff = hoursBefore(input.asOf, config.ORPHAN_UPLOAD_HOURS);
      const counts = { scanned: 0, deleted: 0, referenced: 0 };
      const until = Date.now() + PASS_BUDGET_MS;
      let old: string[] = [];
      const flush = async () => {
        const used = await repo.referencedImageKeys(old);
        for (const key of old) {
          if (used.has(key)) counts.referenced += 1;
          else if (await images.delete(key)) counts.deleted += 1;
        }
        old = [];
        checkpoint();
      };
      for await (const image of images.list(input.after ? { after: input.after } : {})) {
        counts.scanned += 1;
        if (image.modifiedAt.getTime() < cutoff.getTime()) old.push(image.key);
        if (counts.scanned % MAINTENANCE_BATCH === 0) {
          await flush();
          // Everything up to this key is settled: the next pass starts after it.
          if (Date.now() >= until) return { counts, cutoff: cutoff.toISOString(), done: false, cursor: image.key };
        }
      }
      await flush();
      return { counts, cutoff: cutoff.toISOString(), done: true };
    },

    /**
     * Meals still without an outcome well past their input limit. A run that is still open is cancelled (its
     * own cancel path closes the meal with its steps); a run that is gone or ended cannot close it any more,
     * so the meal is failed here with a reason.
     */
    async closeStuckMeals(input: { asOf: string; after?: string }): Promise<PassResult> {
      let cutoff: Date;
      try {
        cutoff = stuckMealCutoff(input.asOf, config.MEAL_INPUT_TIMEOUT);
      } catch (err) {
        if (err instanceof InvalidDuration)
          throw ApplicationFailure.nonRetryable(err.message, 'InvalidMaintenanceConfig');
        throw err;
      }
      const counts = { found: 0, cancelled: 0, closed: 0 };
      let cursor = input.after;
      const done = await untilDoneOrBudget(async () => {
        const rows = await repo.stuckMeals(cutoff, cursor, MAINTENANCE_BATCH);
        const runGone: string[] = [];
        await inChunks(rows, TEMPORAL_CONCURRENCY, async (meal) => {
          const handle = temporal.workflow.getHandle(meal.workflowId);
          try {
            const { status } = await handle.describe();
            if (status.name === 'RUNNING') {
              await handle.cancel();
              counts.cancelled += 1;
              return;
            }
          } catch (err) {
            // Not found: never started, or already dropped by the namespace's retention. Anything else
            // (server down) is retried by the activity.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
          runGone.push(meal.id);
        });
        counts.closed += await repo.closeAbandonedMeals(runGone, ABANDONED_MEAL_REASON);
        counts.found += rows.length;
        if (rows.length) cursor = rows[rows.length - 1]!.id;
        return rows.length === MAINTENANCE_BATCH;
      });
      if (counts.found) log().info(counts, 'stuck meals handled');
      return { counts, cutoff: cutoff.toISOString(), done, ...(done || !cursor ? {} : { cursor }) };
    },

    // ---- retention -----------------------------------------------------------------------------------

    /**
     * Photos of meals created more than RETENTION_IMAGE_DAYS ago. Files first, then the rows: a crash in
     * between leaves rows that the retry finds again (deleting a missing file is not an error), never a
     * recorded deletion whose file is still there.
     */
    async expireMealImages(input: { asOf: string }): Promise<PassResult> {
      const run = currentRun();
      const cutoff = daysBefore(input.asOf, config.RETENTION_IMAGE_DAYS);
      const counts = { filesDeleted: 0, filesKept: 0 };
      const done = await untilDoneOrBudget(async () => {
        const rows = await repo.expiredMealImages(cutoff, MAINTENANCE_BATCH);
        const keys = [...new Set(rows.map((r) => r.imageKey))];
        const shared = await repo.keysReferencedOutside(
          keys,
          rows.map((r) => r.id),
        );
        for (const key of keys) {
          if (shared.has(key)) counts.filesKept += 1;
          else if (await deleteImage(key)) counts.filesDeleted += 1;
        }
        await repo.markMealImagesDeleted(rows, run.runId);
        return rows.length === MAINTENANCE_BATCH;
      });
      const recordedForRun = await repo.deletionsForRun(run.runId, 'meal_image');
      return { counts, cutoff: cutoff.toISOString(), done, recordedForRun };
    },

    async expireJournalTexts(input: { asOf: string }): Promise<PassResult> {
      const run = currentRun();
      const cutoff = daysBefore(input.asOf, config.RETENTION_JOURNAL_DAYS);
      const done = await untilDoneOrBudget(
        async () => (await repo.expireJournalTexts(cutoff, MAINTENANCE_BATCH, run.runId)) === MAINTENANCE_BATCH,
      );
      const recordedForRun = await repo.deletionsForRun(run.runId, 'journal_text');
      return { counts: {}, cutoff: cutoff.toISOString(), done, recordedForRun };
    },

    // ---- database ------------------------------------------------------------------------------------

    /**
     * VACUUM (ANALYZE) every app table with its stats before and after. Finished tables travel in the
     * heartbeat details, so a retry after a worker crash continues with the next table instead of redoing all.
     */
    async vacuumAppTables(): Promise<VacuumReport> {
      const ctx = Context.current();
      const previous = (ctx.info.heartbeatDetails as { done?: TableVacuum[] } | undefined)?.done;
      const done: TableVacuum[] = Array.isArray(previous) ? previous : [];
      const tables = await repo.appTables();
      for (const table of tables) {
        if (done.some((d) => d.table === table)) continue;
        checkpoint({ done });
        const before = await repo.tableStats(table);
        const started = Date.now();
        const timer = setInterval(() => ctx.heartbeat({ done, current: table }), VACUUM_HEARTBEAT_MS);
        try {
          await repo.vacuum(table);
        } finally {
          clearInterval(timer);
        }
        done.push({ table, before, after: await repo.tableStats(table), durationMs: Date.now() - started });
      }
      ctx.heartbeat({ done });
      // A table dropped since an earlier attempt is not reported.
      return summariseVacuumReport(done.filter((d) => tables.includes(d.table)));
    },

    // ---- health report -------------------------------------------------------------------------------

    async runHealthReport(): Promise<HealthReport> {
      return healthReportOf(await deps.health.runAll());
    },

    /**
     * UNHEALTHY → an ops event (ids and statuses only) and an error log; DEGRADED → a warning log. A retry may
     * publish twice: the event carries the run id so subscribers can drop the duplicate.
     */
    async alertOnHealth(input: { status: HealthStatus; failing: string[] }): Promise<AlertAction> {
      const run = currentRun();
      const action = alertActionFor(input.status);
      const failing = input.failing.join(',');
      if (action === 'event') {
        log().error({ status: input.status, failing }, 'health report: service UNHEALTHY');
        // Fact key = the report's run: a retried alert is the same event (same id), which subscribers dedupe.
        const time = new Date(Context.current().info.scheduledTimestampMs).toISOString();
        await publishDomainEvent(
          events,
          buildDomainEvent(
            'ops.unhealthy',
            { runId: run.runId, status: 'UNHEALTHY', failing },
            { key: run.runId, time },
          ),
        );
      } else if (action === 'warn') {
        log().warn({ status: input.status, failing }, 'health report: service DEGRADED');
      }
      return action;
    },
  };

  /** A malformed key in a row cannot name a file: nothing to delete, and the row is still cleared. */
  async function deleteImage(key: string): Promise<boolean> {
    try {
      return await images.delete(key);
    } catch (err) {
      if (err instanceof InvalidImageKey) return false;
      throw err;
    }
  }
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
