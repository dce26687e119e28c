import { z } from '@hono/zod-openapi';
import { parseInstant } from '../../domain/insights/time';
import { ErrorEnvelopeSchema } from '../errors';

/** What every route definition shares: the error responses, bearer security, ids and common headers. */

/** A response in the contract's error envelope (src/api/errors.ts), for a route's `responses` table. */
export const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});

/** A JSON response with its schema. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** A JSON request body with its schema. */
export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { 'application/json': { schema } }, required },
});

/** Routes that need `Authorization: Bearer <JWT>` (the scheme is registered with the OpenAPI document). */
export const bearer = [{ bearer: [] }];

/** Resource ids (meals, batches, journal entries, insights, cases) are UUIDs: anything else is a 404 at once. */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID_RE.test(id);

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'Same key + same user + same body = same resource, nothing new started' }),
});

/** An ISO instant with an explicit zone (query and body fields of the admin and statistics routes). */
export const Instant = z
  .string()
  .refine((s) => parseInstant(s) !== null, 'must be an ISO instant with a time zone, e.g. 2026-11-01T00:00:00Z');
