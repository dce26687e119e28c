import { cleanupActivities } from './maintenance/cleanup';
import { createMaintenanceContext, type MaintenanceActivityDeps } from './maintenance/context';
import { crisisRetentionActivities } from './maintenance/crisis-retention';
import { databaseActivities } from './maintenance/database';
import { exportCleanupActivities } from './maintenance/exports';
import { healthActivities } from './maintenance/health';
import { retentionActivities } from './maintenance/retention';
import { runActivities } from './maintenance/runs';
import { stuckMealActivities } from './maintenance/stuck-meals';
import { taskScheduleActivities } from './maintenance/task-schedules';

export { ABANDONED_MEAL_REASON } from './maintenance/stuck-meals';
export type { MaintenanceActivityDeps } from './maintenance/context';
export { UNHEALTHY_SUBJECT } from './maintenance/health';
export { MAINTENANCE_BATCH, PASS_BUDGET_MS } from './maintenance/pass';

/**
 * Thin, idempotent adapters for the four maintenance jobs. Cutoffs are computed from the run's `asOf`
 * (workflow time), never from the clock here, so retries and later passes act on the same set of rows.
 * Temporal calls activities by name: the names below (modules per chore in maintenance/) are the contract.
 */
export function createMaintenanceActivities(deps: MaintenanceActivityDeps) {
  const ctx = createMaintenanceContext(deps);
  return {
    ...runActivities(ctx), // startMaintenanceRun, finishMaintenanceRun
    ...cleanupActivities(ctx), // deleteExpiredIdempotencyKeys, deleteOrphanUploads
    ...stuckMealActivities(ctx), // closeStuckMeals
    ...exportCleanupActivities(ctx), // deleteExpiredExports
    ...taskScheduleActivities(ctx), // repairTaskSchedules
    ...retentionActivities(ctx), // expireMealImages, expireJournalTexts
    ...crisisRetentionActivities(ctx), // expireRetainedCrisisCases
    ...databaseActivities(ctx), // vacuumAppTables
    ...healthActivities(ctx), // runHealthReport, alertOnHealth
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
