import { createRoute, z } from '@hono/zod-openapi';
import type { Metrics } from '../../observability/metrics';
import type { App } from '../deps';

/**
 * `GET /metrics`: Prometheus text exposition of this process's registry. No token, like health and
 * readiness (the contract: "Health, readiness, ping and metrics need no token"): it carries counts and
 * route patterns only, never ids or content. In the OpenAPI document under `monitoring`, marked as the
 * Prometheus format so nobody mistakes it for a JSON API.
 */
export function registerMetricsRoutes(app: App, metrics: Pick<Metrics, 'registry'>): void {
  app.openapi(
    createRoute({
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
    }),
    async (c) => {
      const body = await metrics.registry.metrics();
      // `text` with prom-client's own content type (it names the exposition format version). No caching by
      // proxies: scrapes must see current values (business counts are cached server-side instead).
      return c.text(body, 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
    },
  );
}
