import type { Client } from '@temporalio/client';
import { isMaintenanceJob, MAINTENANCE_JOBS } from '../../domain/maintenance/jobs';
import { MAINTENANCE_WORKFLOWS } from '../../temporal/workflow-registry';
import { startWorkflow, withTemporalDeadline } from '../../temporal/workflow-client';
import { AppError } from '../errors';

/**
 * Maintenance jobs on demand. One manual run of a job at a time (its contract's id,
 * `maintenance-<job>-manual`): a request while it runs gets the running one back.
 */
export function createMaintenanceService(deps: { temporal: Client }) {
  return {
    async run(job: string, requestedBy: string) {
      if (!isMaintenanceJob(job))
        throw new AppError(
          'not_found',
          'job_not_found',
          `No maintenance job ${job.slice(0, 60)}; jobs: ${MAINTENANCE_JOBS.join(', ')}`,
        );
      const started = await startWorkflow(deps.temporal, MAINTENANCE_WORKFLOWS[job], { requestedBy });
      // The run this request refers to: the new one, or the one already running.
      const runId = await withTemporalDeadline(deps.temporal, () => started.handle.describe())
        .then((d) => d.runId)
        .catch(() => undefined);
      return { workflowId: started.workflowId, runId, job, alreadyRunning: started.alreadyStarted };
    },
  };
}

export type MaintenanceService = ReturnType<typeof createMaintenanceService>;
