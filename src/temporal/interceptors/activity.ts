import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withRequestContext } from '../../request-context';
import { requestIdFrom } from './header';

/**
 * Runs each activity inside the request context its workflow passed in the header, so every line our logger
 * writes during the activity (and the SDK's own activity log) carries the request id.
 */
export const requestIdActivityInterceptor: ActivityInterceptorsFactory = (_ctx: Context) => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute: (input, next) => {
        requestId = requestIdFrom(input.headers);
        return requestId ? withRequestContext({ requestId }, () => next(input)) : next(input);
      },
    },
    outbound: {
      getLogAttributes: (input, next) => (requestId ? { ...next(input), requestId } : next(input)),
    },
  };
};
