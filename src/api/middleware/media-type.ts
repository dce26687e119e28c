import type { MiddlewareHandler } from 'hono';
import { unsupportedMediaType } from '../errors';

/**
 * Route middleware for a route that reads its body in more than one form (`POST /v1/meals`: JSON or a multipart
 * upload): any other Content-Type, or none, is a 415 naming the accepted ones. Without it a form-urlencoded body
 * would pass the router's own check (it counts as a form) and be answered with a misleading 422.
 */
export const mediaTypes =
  (accepted: readonly string[]): MiddlewareHandler =>
  async (c, next) => {
    const essence = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!accepted.includes(essence)) throw unsupportedMediaType(accepted);
    await next();
  };
