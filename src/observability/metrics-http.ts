import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Histogram, type Registry } from 'prom-client';

// HTTP traffic of the API: requests and their duration by method, route pattern and status.

/** Label value for requests no route pattern matched (unknown paths, CORS preflights answered by middleware). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Request duration buckets, in seconds, 5 ms … 10 s:
 * - 5/10/25 ms: health, ping, metrics and reads that hit one indexed PostgreSQL row;
 * - 50/100/250 ms: calls that also round-trip to Temporal (start, describe, query) or visibility listings;
 * - 0.5/1/2.5 s: slow paths worth seeing apart (10 MB photo uploads, a loaded Temporal frontend);
 * - 5/10 s: clients and proxies commonly give up around here; anything slower lands in +Inf, which is an
 *   alert in itself rather than something to resolve finely.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Anything else (a client may send any token as a method) is folded into one value: bounded cardinality.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The matched route PATTERN (`/v1/meals/:mealId`), never the raw path: raw paths carry ids (personal data
 * in a health app) and grow without bound. Middleware is registered with method `ALL`; the endpoint is the
 * method-specific route. After `next()` `routeIndex` points at the last handler that ran: the endpoint when
 * it answered, a middleware when that answered first (auth 401, body limit 413) — then the label is the
 * endpoint the request was addressed to. No endpoint matched: `unmatched`.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  const current = routes[c.req.routeIndex];
  if (current && current.method !== 'ALL') return current.path;
  return routes.find((r) => r.method !== 'ALL')?.path ?? UNMATCHED_ROUTE;
}

export function methodLabel(method: string): string {
  const m = method.toUpperCase();
  return KNOWN_METHODS.has(m) ? m : 'OTHER';
}

/** The request counter and duration histogram, and the Hono middleware that fills them. */
export function createHttpMetrics(registers: Registry[]): MiddlewareHandler {
  const httpLabels = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'wellflow_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: httpLabels,
    registers,
  });
  const duration = new Histogram({
    name: 'wellflow_http_request_duration_seconds',
    help: 'Time until the handler returned its response (streamed bodies excluded), by method, route pattern and status',
    labelNames: httpLabels,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });

  return async (c, next) => {
    const started = performance.now();
    let threw = false;
    try {
      await next();
    } catch (err) {
      // Hono's compose turns handler errors into responses (onError); one reaches here only when the error
      // handler itself failed, and the server then answers 500.
      threw = true;
      throw err;
    } finally {
      const labels = {
        method: methodLabel(c.req.method),
        route: routeLabel(c),
        status: threw ? '500' : String(c.res.status),
      };
      requests.inc(labels);
      duration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}
