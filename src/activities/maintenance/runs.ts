import type { RunStatus } from '../../db/repositories/maintenance';
import type { MaintenanceJob } from '../../domain/maintenance/jobs';
import { currentRequestId } from '../../request-context';
import type { MaintenanceContext } from './context';
import { currentRun } from './pass';

/** The start and end of a maintenance run, recorded in `maintenance_runs`. */
export function runActivities({ repo, log }: MaintenanceContext) {
  return {
    async startMaintenanceRun(input: { job: MaintenanceJob; requestedBy: string }): Promise<void> {
      const run = currentRun();
      await repo.startRun({ runId: run.runId, workflowId: run.workflowId, job: input.job });
      // The request id (when an admin's request started the run) is on the line by the logger's mixin.
      log().info({ job: input.job, requestedBy: input.requestedBy }, 'maintenance run started');
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
        // The request that started the run (from the interceptor's header), kept with its summary.
        result: withRequestId(input.result),
      });
      log()[input.status === 'failed' ? 'warn' : 'info'](
        { job: input.job, status: input.status },
        'maintenance run finished',
      );
    },
  };
}

function withRequestId(result: unknown): unknown {
  const requestId = currentRequestId();
  return requestId && result !== null && typeof result === 'object' ? { ...result, requestId } : result;
}
