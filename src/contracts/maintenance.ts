import { MAINTENANCE_JOBS, type MaintenanceJob } from '../domain/maintenance/jobs';
import { defineProgressQuery, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

/** Every maintenance workflow takes this input: who asked (an admin's id, or `schedule`). */
export interface MaintenanceInput {
  requestedBy: string;
}

/** A maintenance run started for one job: the job names the contract, the input says who asked. */
export type MaintenanceStart = MaintenanceInput & { job: MaintenanceJob };

export const MAINTENANCE_WORKFLOW_TYPES = {
  cleanup: 'maintenanceCleanup',
  retention: 'maintenanceRetention',
  database: 'maintenanceDatabase',
  'health-report': 'maintenanceHealthReport',
} as const satisfies Record<MaintenanceJob, string>;

export const maintenanceProgressQuery = defineProgressQuery<{ steps: StepProgress[] }>();

/**
 * `maintenance-<job>-manual`: one manual run of a job at a time (a second request while it runs gets the
 * running one back). Scheduled runs use their schedule's id as the prefix, so a manual run and a scheduled
 * one may overlap; the jobs are idempotent, so that is safe.
 */
export const manualMaintenanceWorkflowId = (job: MaintenanceJob) => `maintenance-${job}-manual`;

const contractFor = (job: MaintenanceJob): WorkflowContract<MaintenanceInput> => ({
  workflowType: MAINTENANCE_WORKFLOW_TYPES[job],
  taskQueue: 'default',
  workflowId: () => manualMaintenanceWorkflowId(job),
  searchAttributes: () => [],
});

export const MAINTENANCE_CONTRACTS = Object.fromEntries(
  MAINTENANCE_JOBS.map((job) => [job, contractFor(job)]),
) as Record<MaintenanceJob, WorkflowContract<MaintenanceInput>>;
