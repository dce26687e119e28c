import type { WorkflowClientInterceptor } from '@temporalio/client';
import { currentRequestId } from '../../request-context';
import { requestIdHeader } from './header';

/** Every workflow the API starts or signals carries the request id of the HTTP call that did it. */
export function requestIdClientInterceptor(): WorkflowClientInterceptor {
  const withId = <T extends { headers: Record<string, unknown> }>(input: T): T => {
    const requestId = currentRequestId();
    return requestId ? { ...input, headers: { ...input.headers, ...requestIdHeader(requestId) } } : input;
  };
  return {
    start: (input, next) => next(withId(input)),
    startWithDetails: (input, next) => next(withId(input)),
    signalWithStart: (input, next) => next(withId(input)),
    signal: (input, next) => next(withId(input)),
    startUpdate: (input, next) => next(withId(input)),
  };
}
