import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/workflow';

/**
 * The Temporal header carrying the request id from the API into workflows, their activities and children.
 * Pure (imports only @temporalio/workflow) so the workflow interceptor module can use it inside the bundle.
 * Headers are not passed through the payload codec, so this is plain JSON: an id, never content.
 */
export const REQUEST_ID_HEADER = 'wellflow-request-id';

const REQUEST_ID_RE = /^[\w.:=-]{1,255}$/; // what the API's request-id middleware accepts

export function requestIdHeader(requestId: string): Record<string, Payload> {
  return { [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) };
}

/** The request id in a set of headers, when there is a well-formed one. */
export function requestIdFrom(headers: Record<string, Payload> | undefined): string | undefined {
  const payload = headers?.[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' && REQUEST_ID_RE.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
