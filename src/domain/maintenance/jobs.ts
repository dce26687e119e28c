/** The maintenance jobs an admin can run (`POST /v1/maintenance/{job}`) and schedule, and their workflow types. */
export const MAINTENANCE_JOBS = ['cleanup', 'retention', 'database', 'health-report'] as const;
export type MaintenanceJob = (typeof MAINTENANCE_JOBS)[number];

export const MAINTENANCE_WORKFLOW_TYPES = {
  cleanup: 'maintenanceCleanup',
  retention: 'maintenanceRetention',
  database: 'maintenanceDatabase',
  'health-report': 'maintenanceHealthReport',
} as const satisfies Record<MaintenanceJob, string>;

export function isMaintenanceJob(value: string): value is MaintenanceJob {
  return (MAINTENANCE_JOBS as readonly string[]).includes(value);
}

/** Every maintenance workflow takes this input: who asked (an admin's id, or the schedule) and the request id. */
export interface MaintenanceInput {
  requestedBy: string;
  requestId?: string;
}
