import { expect } from 'vitest';
import { RETRY_AFTER_SECONDS } from '../../src/api/errors';

/** A response as the harness and the tests' own callers return it. */
export interface EnvelopeResponse {
  status: number;
  json: any;
  headers: Headers;
}

export const ENVELOPE_FIELDS = ['category', 'code', 'details', 'message', 'request_id', 'timestamp', 'user_message'];

/**
 * The contract's error envelope (../shared/notes/api-contract.md): exactly its fields, the category and code
 * asked for, the request id echoed in the header, a real timestamp, and no stack trace or SQL in the message.
 */
export function expectEnvelope(res: EnvelopeResponse, status: number, category: string, code?: string): void {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(Object.keys(res.json?.error ?? {}).sort()).toEqual(ENVELOPE_FIELDS);
  expect(res.json.error.category).toBe(category);
  if (code) expect(res.json.error.code).toBe(code);
  expect(res.json.error.request_id).toBe(res.headers.get('x-request-id'));
  expect(res.json.error.message).not.toMatch(/\bat \S+:\d+|select |insert |postgres/i);
  expect(new Date(res.json.error.timestamp).getTime()).toBeGreaterThan(0);
}

/** A dependency outage as the API answers it: 503 naming what is unavailable, with `Retry-After`. */
export function expectUnavailable(res: EnvelopeResponse, code: 'database_unavailable' | 'temporal_unavailable') {
  expectEnvelope(res, 503, 'unavailable', code);
  expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
}
