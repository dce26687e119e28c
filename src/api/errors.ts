import type { Context } from 'hono';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError } from '@temporalio/client';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';
import type { Logger } from '../logger';
import { redactError } from '../observability/redact';

/**
 * The one error envelope of the contract. Every failure, from validation to an unexpected crash, leaves
 * through `errorResponse`; nothing else writes an error body, and no stack or SQL ever reaches a client.
 */
const ERROR_STATUS = {
  validation: 422,
  authentication: 401,
  authorization: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

type ErrorCategory = keyof typeof ERROR_STATUS;

const USER_MESSAGES: Record<ErrorCategory, string> = {
  validation: 'Some of the information sent is not valid. Please check it and try again.',
  authentication: 'Please sign in again.',
  authorization: 'You do not have permission to do that.',
  not_found: 'We could not find that.',
  conflict: 'That cannot be done right now because of its current state.',
  payload_too_large: 'That upload is too large.',
  rate_limited: 'Too many requests. Please wait a moment and try again.',
  unavailable: 'The service is temporarily unavailable. Please try again shortly.',
  internal: 'Something went wrong on our side. Please try again.',
};

export class AppError extends Error {
  constructor(
    readonly category: ErrorCategory,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | unknown[] | null = null,
    readonly status: ContentfulStatusCode = ERROR_STATUS[category],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id?: string) =>
  new AppError(
    'not_found',
    `${what}_not_found`,
    id ? `No ${what.replace(/_/g, ' ')} with id ${id}` : `No such ${what.replace(/_/g, ' ')}`,
  );

function zodIssues(error: z.ZodError) {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.message,
    code: i.code,
  }));
}

export const validationError = (error: z.ZodError, where = 'request') =>
  new AppError(
    'validation',
    'invalid_request',
    `The ${where} is not valid: ${zodIssues(error)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ')}`,
    zodIssues(error),
  );

/**
 * 415: the body's Content-Type is missing or not one the route reads. Thrown by `mediaTypes` (route middleware,
 * src/api/middleware/media-type.ts) and mapped from the router's own 415 (a JSON route sent something else).
 */
export const unsupportedMediaType = (accepted: readonly string[]) =>
  new AppError(
    'validation',
    'unsupported_media_type',
    `Unsupported Content-Type: send ${accepted.join(' or ')}`,
    { accepted },
    415,
  );

/** 405: the path exists, the method does not; `Allow` lists the path's methods. */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]) =>
  new AppError(
    'validation',
    'method_not_allowed',
    `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
    { allowed },
    405,
    { Allow: allowed.join(', ') },
  );

/**
 * Seconds a client should wait before retrying a 503 (the `Retry-After` of every "unavailable" answer). Why 5:
 * PostgreSQL's connect timeout (src/db/client.ts) and Temporal's call deadline (src/temporal/workflow-client.ts)
 * are a few seconds, so a sooner retry would mostly meet the same outage; a restarted database or Temporal
 * frontend is usually back within seconds, so a much later one would keep people waiting for nothing.
 */
export const RETRY_AFTER_SECONDS = 5;

const retryLater = { 'Retry-After': String(RETRY_AFTER_SECONDS) };

/** 503 `database_unavailable`: PostgreSQL refused, dropped or did not answer in time. Nothing was changed. */
export const databaseUnavailable = () =>
  new AppError(
    'unavailable',
    'database_unavailable',
    'The database is unavailable or did not answer in time; please retry shortly',
    { dependency: 'database' },
    503,
    retryLater,
  );

/** 503 `temporal_unavailable`: the Temporal frontend refused or did not answer within the call deadline. */
export const temporalUnavailable = (
  message = 'Temporal (the workflow service) is unavailable or did not answer in time; please retry shortly',
) => new AppError('unavailable', 'temporal_unavailable', message, { dependency: 'temporal' }, 503, retryLater);

/** Node socket errors that mean "the server is not there (or went away)". */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** postgres.js's own connection failures (see postgres/src/errors.js). */
const POSTGRES_JS_CODES = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/**
 * SQLSTATEs that mean the database cannot serve the statement now, not that the statement is wrong: class 08
 * (connection exception), 53300 too many connections, 57014 query canceled (our statement_timeout), 57P01
 * admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, recovery).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53300|57014|57P0[123])$/;

/**
 * gRPC statuses that mean Temporal cannot answer now: UNAVAILABLE (14: refused, reset, no connection),
 * DEADLINE_EXCEEDED (4: our call deadline), RESOURCE_EXHAUSTED (8: the frontend's rate limits), CANCELLED (1:
 * the connection was closed under the call).
 */
const UNAVAILABLE_GRPC = new Set([1, 4, 8, 14]);

/** The error and its causes (drizzle wraps postgres.js errors; Temporal wraps gRPC errors), bounded. */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err, i = 0; e && i < 8; i++) {
    chain.push(e);
    if (e instanceof AggregateError) chain.push(...e.errors);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

function isDatabaseOutage(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // A gRPC error has a numeric code, so a string code here comes from a socket, postgres.js or PostgreSQL.
  return POSTGRES_JS_CODES.has(code) || SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code);
}

function isTemporalOutage(e: unknown): boolean {
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(e)) return UNAVAILABLE_GRPC.has(e.code);
  // A ServiceError without a gRPC cause: the client gave up without a status (e.g. the connection was closed).
  return e instanceof ServiceError && !isGrpcServiceError(e.cause);
}

/**
 * The 503 for an outage of a dependency, or undefined when `err` is not one. The one place that decides what
 * "PostgreSQL is down" and "Temporal is down" look like; `toAppError` and the idempotent start use it.
 */
export function outageError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err.category === 'unavailable' ? err : undefined;
  const chain = causeChain(err);
  if (chain.some(isTemporalOutage)) return temporalUnavailable();
  if (chain.some(isDatabaseOutage)) return databaseUnavailable();
  return undefined;
}

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      category: z.enum(Object.keys(ERROR_STATUS) as [ErrorCategory, ...ErrorCategory[]]),
      code: z.string(),
      message: z.string(),
      timestamp: z.string(),
      details: z.unknown().nullable(),
      request_id: z.string(),
      user_message: z.string(),
    }),
  })
  .openapi('Error');

export function errorResponse(c: Context, err: AppError) {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  const res = c.json(
    {
      error: {
        category: err.category,
        code: err.code,
        message: err.message,
        timestamp: new Date().toISOString(),
        details: err.details,
        request_id: requestId,
        user_message: USER_MESSAGES[err.category],
      },
    },
    err.status,
  );
  res.headers.set('X-Request-Id', requestId);
  // After a 413 the rest of the body may still be on its way: close the connection rather than read it.
  if (err.status === 413) res.headers.set('Connection', 'close');
  // Every 503 says when to come back (an outage's own AppError sets it too; this covers the other 503s).
  if (err.status === 503) res.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
  for (const [k, v] of Object.entries(err.headers)) res.headers.set(k, v);
  return res;
}

/** Maps anything thrown to the envelope. Unknown errors are logged with the request id and hidden. */
export function toAppError(err: unknown, logger: Logger, requestId: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return new AppError('validation', 'malformed_json', 'The request body is not valid JSON', null, 400);
    }
    if (err.status === 413)
      return new AppError('payload_too_large', 'payload_too_large', 'The request body is too large');
    if (err.status === 415) return unsupportedMediaType(['application/json']);
    if (err.status === 401)
      return new AppError('authentication', 'invalid_token', err.message || 'Authentication failed');
    if (err.status === 400) return new AppError('validation', 'bad_request', err.message || 'Bad request', null, 400);
  }
  const outage = outageError(err);
  if (outage) {
    // The class and codes only (redacted like below): an outage is expected, not a bug, so a warning.
    logger.warn({ err: redactError(err), requestId, code: outage.code }, 'dependency unavailable');
    return outage;
  }
  // Redacted here too (not only by the logger's serializer): a drizzle error's message and `params` carry the
  // request's values (user ids, meal descriptions); the log gets the class, SQLSTATE and SQL with placeholders.
  logger.error({ err: redactError(err), requestId }, 'unhandled error');
  return new AppError('internal', 'internal_error', 'An internal error occurred');
}
