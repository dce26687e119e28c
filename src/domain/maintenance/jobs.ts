/** The maintenance jobs an admin can run (`POST /v1/maintenance/{job}`) and schedule (their workflow contracts: src/contracts/maintenance.ts). */
export const MAINTENANCE_JOBS = ['cleanup', 'retention', 'database', 'health-report'] as const;
export type MaintenanceJob = (typeof MAINTENANCE_JOBS)[number];

export function isMaintenanceJob(value: string): value is MaintenanceJob {
  return (MAINTENANCE_JOBS as readonly string[]).includes(value);
}
