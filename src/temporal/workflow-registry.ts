import type { MaintenanceJob } from '../domain/maintenance/jobs';
import {
  maintenanceCleanup,
  maintenanceDatabase,
  maintenanceHealthReport,
  maintenanceRetention,
  modelRetraining,
  weeklyInsightsAll,
} from '../workflows';

/** The workflow function of each maintenance job (its contract: src/contracts/maintenance.ts). */
export const MAINTENANCE_WORKFLOWS = {
  cleanup: maintenanceCleanup,
  retention: maintenanceRetention,
  database: maintenanceDatabase,
  'health-report': maintenanceHealthReport,
} as const satisfies Record<MaintenanceJob, unknown>;

/**
 * The workflows a declared system schedule may start, by workflow type: schedule declarations are data
 * (SCHEDULES_FILE is JSON), so they name the type, and `schedules sync` turns the name into the function here.
 */
export const SCHEDULABLE_WORKFLOWS = Object.fromEntries(
  [weeklyInsightsAll, ...Object.values(MAINTENANCE_WORKFLOWS), modelRetraining].map((w) => [w.name, w]),
);
