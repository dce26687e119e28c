import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_UPLOAD_BYTES } from '../../adapters/images/validate';
import { AppError } from '../errors';

/**
 * Request body limits, sized per route to its largest valid body, so no route buffers more than it could
 * ever accept: a photo upload up to 10 MB only on the upload route with a multipart body, a 500-meal batch
 * (which can exceed 1 MB of non-Latin text) only on the batch route, and 64 KB everywhere else.
 */
export const BODY_LIMITS = {
  /** Largest valid JSON body elsewhere is a 10,000-character journal entry: <= 30 KB as UTF-8. */
  json: 64 * 1024,
  /** 500 items x (2,000 chars x 3 bytes + ~150 bytes of fields) ≈ 3.1 MB. */
  batch: 4 * 1024 * 1024,
  /** Codec calls carry base64 payloads (Temporal itself rejects payloads over 2 MB; base64 adds a third). */
  codec: 4 * 1024 * 1024,
  /** A 10 MB photo plus a few form fields and multipart framing. */
  upload: MAX_UPLOAD_BYTES + 256 * 1024,
} as const;

type BodyLimitKind = keyof typeof BODY_LIMITS;

/** Which limit a request gets. The upload limit needs both the upload route and a multipart body. */
export function bodyLimitFor(method: string, path: string, contentType: string | undefined): BodyLimitKind {
  const m = method.toUpperCase();
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (m === 'POST' && p === '/v1/meals' && (contentType ?? '').toLowerCase().startsWith('multipart/form-data'))
    return 'upload';
  if (m === 'POST' && p === '/v1/meals/batch') return 'batch';
  if (p.startsWith('/codec/')) return 'codec';
  return 'json';
}

const WHAT: Record<BodyLimitKind, string> = {
  json: 'request body',
  batch: 'batch',
  codec: 'codec request',
  upload: 'upload',
};

/** One middleware applying `bodyLimitFor`; errors use the contract's envelope (413 payload_too_large). */
export function bodyLimits(): MiddlewareHandler {
  const limiterOf = (kind: BodyLimitKind) =>
    bodyLimit({
      maxSize: BODY_LIMITS[kind],
      onError: () => {
        throw new AppError(
          'payload_too_large',
          'payload_too_large',
          `The ${WHAT[kind]} is larger than ${BODY_LIMITS[kind]} bytes`,
          { maxBytes: BODY_LIMITS[kind] },
        );
      },
    });
  const handlers: Record<BodyLimitKind, MiddlewareHandler> = {
    json: limiterOf('json'),
    batch: limiterOf('batch'),
    codec: limiterOf('codec'),
    upload: limiterOf('upload'),
  };
  return (c, next) => handlers[bodyLimitFor(c.req.method, c.req.path, c.req.header('content-type'))](c, next);
}
