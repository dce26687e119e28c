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

/**
 * The error responses of a route that reads a JSON body: malformed JSON (400) and any other Content-Type (415).
 * Spread into every such route's `responses`.
 */
export const jsonBodyErrors = {
  400: err('Malformed JSON'),
  415: err('Unsupported Content-Type: send application/json'),
};

/** A JSON request body with its schema. */
export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { 'application/json': { schema } }, required },
});

/** Routes that need `Authorization: Bearer <JWT>` (the scheme is registered with the OpenAPI document). */
export const bearer = [{ bearer: [] }];

/** Resource ids (meals, batches, journal entries, insights, cases) are UUIDs: anything else is a 404 at once. */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID_RE.test(id);

/**
 * Every free text the API stores (descriptions, journal text, notes, keys) starts from this: a string without
 * C0 control characters other than tab, line feed and carriage return. PostgreSQL refuses NUL in text (a 500
 * otherwise), and the others are never typed by a person, so they are a 422 with the field's path. A pattern,
 * not a refine, so the OpenAPI document states the rule too (the fuzz gate sends what the schema allows).
 */
export const Text = (opts: { nonBlank?: boolean } = {}) =>
  opts.nonBlank
    ? z.string().regex(NON_BLANK_TEXT, 'must not be empty or contain control characters (tab, line feeds allowed)')
    : z.string().regex(TEXT, 'must not contain control characters (tab, line feed and carriage return are allowed)');

// One pattern each (JSON Schema has one `pattern` per string): no C0 control but tab, LF, CR; and, for text that
// must say something, at least one character that is not white space.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT = /^[^\x00-\x08\x0B\x0C\x0E-\x1F]*$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NON_BLANK_TEXT = /^[^\x00-\x08\x0B\x0C\x0E-\x1F]*[^\s\x00-\x08\x0B\x0C\x0E-\x1F][^\x00-\x08\x0B\x0C\x0E-\x1F]*$/;

/** The earliest and latest instant the API accepts anywhere (dates before it are typos like year 49). */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2100-01-01';
const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LATEST_MS = Date.parse(`${LATEST_DATE}T00:00:00Z`);

/**
 * Bounds a date or instant field to [2000-01-01, `latest`) and says so in its schema. The format is the field's
 * own check; a value that does not parse is left to it. `latest` defaults to 2100-01-01.
 */
export const withinDateRange = <T extends z.ZodType<string, string>>(
  schema: T,
  latest: { ms: () => number; says: string } = { ms: () => LATEST_MS, says: `before ${LATEST_DATE}` },
) => {
  const range = `from ${EARLIEST_DATE} and ${latest.says}`;
  return schema
    .refine(
      (v) => {
        const t = Date.parse(v);
        return Number.isNaN(t) || (t >= EARLIEST_MS && t < latest.ms());
      },
      { message: `must be ${range}` },
    )
    .openapi({ description: `Must be ${range}.` });
};

/**
 * A page cursor: opaque to clients, base64url (plus `.` separators) as this API issues them, so the schema says
 * which characters can occur and a longest cursor still fits Node's 16 KB request-line limit once URL-encoded.
 */
export const PageCursor = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .regex(/^[A-Za-z0-9_.-]*$/, 'must be a cursor this API returned as nextCursor')
    .openapi({ description: 'The `nextCursor` of the previous page' });

export const IdempotencyHeader = z.object({
  'idempotency-key': Text()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'Same key + same user + same body = same resource, nothing new started' }),
});

/**
 * An ISO instant with an explicit zone in [2000-01-01, 2100-01-01) (query and body fields of the meal list,
 * admin and statistics routes).
 */
export const Instant = withinDateRange(
  z
    .string()
    .refine((s) => parseInstant(s) !== null, 'must be an ISO instant with a time zone, e.g. 2026-11-01T00:00:00Z'),
).openapi({ format: 'date-time', example: '2026-11-01T00:00:00Z' });
