import { OpenAPIHono } from '@hono/zod-openapi';
import { validationError } from './errors';
import type { App, AppEnv } from './types';

/**
 * A router for one resource's routes (src/api/routes/<name>/<name>.index.ts) and for the app itself. Every
 * validation failure (body, query, params, headers) becomes the contract's error envelope.
 */
export function createRouter(): App {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success)
        throw validationError(result.error, result.target === 'json' ? 'request body' : result.target);
    },
  });
}
