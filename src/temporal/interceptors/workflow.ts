import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { requestIdFrom, requestIdHeader } from './header';

/**
 * Bundled with the workflows (workflowInterceptorModules): the request id that started a run is read from its
 * start header, added to every `log` line of the run, and passed on in the headers of its activities, local
 * activities, children, continue-as-new and outgoing signals.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let requestId: string | undefined;
  const pass = <T extends { headers: Record<string, unknown> }>(input: T): T =>
    requestId ? { ...input, headers: { ...input.headers, ...requestIdHeader(requestId) } } : input;
  return {
    inbound: [
      {
        execute: (input, next) => {
          requestId = requestIdFrom(input.headers);
          return next(input);
        },
        handleSignal: (input, next) => {
          // A signal-with-start (crisis case) delivers the header on the signal: adopt it if the run has none.
          requestId ??= requestIdFrom(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(pass(input)),
        scheduleLocalActivity: (input, next) => next(pass(input)),
        startChildWorkflowExecution: (input, next) => next(pass(input)),
        continueAsNew: (input, next) => next(pass(input)),
        signalWorkflow: (input, next) => next(pass(input)),
        getLogAttributes: (input, next) => (requestId ? { ...next(input), requestId } : next(input)),
      },
    ],
  };
};
