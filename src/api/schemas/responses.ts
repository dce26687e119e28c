import type { RouteConfig } from '@hono/zod-openapi';
import { rolesRequiredBy } from '../auth';
import { isExempt } from '../middleware/rate-limit';
import type { App } from '../types';
import { err } from './common';

/**
 * The error responses every operation can give because of what it is, derived once from its route definition
 * instead of being written (and forgotten) per route. Traits come from the route itself:
 *
 * - auth required (`security`): 401 (no, bad or expired token) and 503 (the database, Temporal or the identity
 *   provider's key set is unreachable: every signed-in route reads one of them); on /v1 also 410 (the caller's
 *   account is erased: middleware/erased-account.ts);
 * - a role checked first (`roleFirst` in `middleware`): 403;
 * - rate limited (any path not exempt in middleware/rate-limit.ts): 429 with `Retry-After`;
 * - a request body: 400 (malformed JSON or multipart), 413 (over the route's body limit), 415 (another
 *   Content-Type), 422 (a field is invalid);
 * - parameters (path, query, header): 422; path parameters name a resource: 404;
 * - every operation: 431 (Node refuses a request line and headers over 16 KB before the app sees them).
 *
 * A route's own entry for a status wins (it says more, e.g. "No such meal for this user"); these only fill the
 * gaps. 405 is not an operation's answer (it answers a method no operation declares) and 500 is never declared.
 */

export interface RouteTraits {
  auth: boolean;
  roleFirst: boolean;
  rateLimited: boolean;
  body: boolean;
  params: boolean;
  pathParams: boolean;
  /** Signed-in /v1 routes: an erased person's token is refused there (410 account_erased). */
  erasable?: boolean;
}

export function traitsOf(route: RouteConfig): RouteTraits {
  const request = route.request ?? {};
  const middleware = route.middleware === undefined ? [] : [route.middleware].flat();
  return {
    auth: (route.security ?? []).length > 0,
    roleFirst: middleware.some((m) => rolesRequiredBy(m) !== undefined),
    rateLimited: !isExempt(route.path),
    body: request.body !== undefined,
    params: Boolean(request.params || request.query || request.headers),
    pathParams: Boolean(request.params),
    erasable: (route.security ?? []).length > 0 && route.path.startsWith('/v1/'),
  };
}

/** Seconds to wait, on the answers that carry it (429 always; the dependency 503s). */
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const, minimum: 0 } },
};

/** The common error responses an operation with these traits can give. */
export function commonErrorResponses(t: RouteTraits): RouteConfig['responses'] {
  const out: RouteConfig['responses'] = {};
  if (t.body) {
    out[400] = err('Malformed JSON or multipart body');
    out[413] = err('Body larger than this route accepts (the connection is closed after the answer)');
    out[415] = err('Unsupported Content-Type');
  }
  if (t.auth) out[401] = err('No, invalid or expired bearer token');
  if (t.roleFirst) out[403] = err("The caller's role may not do this");
  if (t.pathParams) out[404] = err('No such resource for this caller');
  if (t.erasable)
    out[410] = err("The caller's account is erased (`account_erased`): every request of theirs is refused");
  if (t.body || t.params) out[422] = err('Invalid input; `details` names each field and what is wrong');
  if (t.rateLimited)
    out[429] = {
      ...err('Too many requests from this user or address; retry after `Retry-After` seconds'),
      headers: retryAfter,
    };
  if (t.auth) out[503] = err('A dependency (database, Temporal, identity provider) is unavailable; retry shortly');
  // Node's HTTP server answers this itself, without a body, before any route runs.
  out[431] = { description: 'Request line and headers over 16 KB (answered by the HTTP server, no body)' };
  return out;
}

/**
 * Adds the common error responses to every route registered on `app` (the app's own registry, which holds
 * copies of the routers' definitions, so route objects are not changed). Idempotent: a route that already has
 * a status keeps its own entry.
 */
export function documentCommonErrors(app: App): void {
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    def.route = { ...def.route, responses: { ...commonErrorResponses(traitsOf(def.route)), ...def.route.responses } };
  }
}
