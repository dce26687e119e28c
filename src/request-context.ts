import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id of the HTTP call (or the Temporal activity) this code runs for. The API sets it per request;
 * the activity interceptor sets it per activity from the Temporal header the request's client call wrote.
 * The logger mixes it into every line, and the client interceptor forwards it into the workflows it starts.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
