import type { WorkflowClientInterceptor } from '@temporalio/client';
import { Counter, type Registry } from 'prom-client';

/** For the client's `interceptors.workflow`: counts the workflow starts Temporal accepted, by workflow type. */
export function createWorkflowStartInterceptor(registers: Registry[]): WorkflowClientInterceptor {
  const starts = new Counter({
    name: 'wellflow_workflow_starts_total',
    help: "Workflow starts accepted by Temporal through this process's client, by workflow type (signal-with-start and update-with-start count each request, also when it joined a running workflow)",
    labelNames: ['workflow_type'] as const,
    registers,
  });
  // Counted after the server accepted the call: a refused start (already started, invalid) is not a start.
  // `startWithDetails` is what SDK 1.24 calls for `workflow.start`/`execute`; the deprecated `start` hook is
  // only adapted into it when `startWithDetails` is absent, so defining both would leave `start` dead.
  return {
    async startWithDetails(input, next) {
      const out = await next(input);
      starts.inc({ workflow_type: input.workflowType });
      return out;
    },
    async signalWithStart(input, next) {
      const runId = await next(input);
      starts.inc({ workflow_type: input.workflowType });
      return runId;
    },
    async startUpdateWithStart(input, next) {
      const out = await next(input);
      starts.inc({ workflow_type: input.workflowType });
      return out;
    },
  };
}
