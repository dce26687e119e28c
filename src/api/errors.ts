import type { Context } from 'hono';
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
  // Redacted here too (not only by the logger's serializer): a drizzle error's message and `params` carry the
  // request's values (user ids, meal descriptions); the log gets the class, SQLSTATE and SQL with placeholders.
  logger.error({ err: redactError(err), requestId }, 'unhandled error');
  return new AppError('internal', 'internal_error', 'An internal error occurred');
}
