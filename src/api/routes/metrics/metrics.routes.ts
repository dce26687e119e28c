import { createRoute, z } from '@hono/zod-openapi';

/**
 * `GET /metrics`: Prometheus text exposition of this process's registry. No token, like health and
 * readiness (the contract: "Health, readiness, ping and metrics need no token"): it carries counts and
 * route patterns only, never ids or content. In the OpenAPI document under `monitoring`, marked as the
 * Prometheus format so nobody mistakes it for a JSON API.
 */
export const scrape = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['monitoring'],
  summary: 'Prometheus metrics (text exposition format 0.0.4; for scrapers, not a JSON API)',
  responses: {
    200: {
      content: { 'text/plain': { schema: z.string() } },
      description: 'HTTP, workflow-start, business and process metrics',
    },
  },
});
