import { createRoute, z } from '@hono/zod-openapi';
import { err, jsonContent } from '../../schemas/common';
import { CheckParam, CheckSchema, DetailedSchema, Readiness } from '../../schemas/health';

/**
 * Monitoring endpoints: no token needed (they reveal no user data). /health, /ping and /ready are on the public
 * port too (load balancers probe them there); /health/detailed and /health/{check} show internals (versions,
 * disk, memory, pollers) and are served only on the internal ops port (src/api/ops-app.ts).
 */
const tags = ['monitoring'];

export const liveness = createRoute({
  method: 'get',
  path: '/health',
  tags,
  summary: 'Liveness',
  responses: {
    200: jsonContent(z.object({ status: z.literal('ok') }), 'The process is alive'),
    503: jsonContent(
      z.object({ status: z.literal('failing'), detail: z.string() }),
      'On the ops port of a worker process: a worker stopped, or Temporal does not answer its connection',
    ),
  },
});

export const ping = createRoute({
  method: 'get',
  path: '/ping',
  tags,
  summary: 'Ping',
  responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'pong' } },
});

export const readiness = createRoute({
  method: 'get',
  path: '/ready',
  tags,
  summary: 'Readiness: the database is migrated, Temporal answers and has the search attributes',
  responses: {
    200: jsonContent(Readiness, 'Ready'),
    503: jsonContent(Readiness, 'Not ready; `reason` says why'),
  },
});

export const detailed = createRoute({
  method: 'get',
  path: '/health/detailed',
  tags,
  summary: 'Every health check',
  responses: {
    200: jsonContent(DetailedSchema, 'Health of each dependency: HEALTHY or DEGRADED'),
    503: jsonContent(DetailedSchema, 'UNHEALTHY: the database or Temporal is failing'),
  },
});

export const oneCheck = createRoute({
  method: 'get',
  path: '/health/{check}',
  tags,
  summary: 'One health check',
  request: { params: CheckParam },
  responses: {
    200: jsonContent(CheckSchema, 'The check passed or is degraded'),
    503: jsonContent(CheckSchema, 'The check is unhealthy'),
    404: err('Unknown check'),
  },
});
