import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps, App } from '../deps';
import { ErrorEnvelopeSchema, notFound } from '../errors';
import { CHECK_NAMES, type CheckName } from '../health-checks';

const CheckSchema = z
  .object({ status: z.enum(['HEALTHY', 'DEGRADED', 'UNHEALTHY']), latency_ms: z.number(), detail: z.string() })
  .openapi('HealthCheck');
const DetailedSchema = z
  .object({ status: z.enum(['HEALTHY', 'DEGRADED', 'UNHEALTHY']), checks: z.record(z.string(), CheckSchema) })
  .openapi('HealthDetailed');
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Monitoring endpoints: no token needed (they reveal no user data). */
export function registerHealthRoutes(app: App, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['monitoring'],
      summary: 'Liveness',
      responses: { 200: json(z.object({ status: z.literal('ok') }), 'The process is alive') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/ping',
      tags: ['monitoring'],
      summary: 'Ping',
      responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'pong' } },
    }),
    (c) => c.text('pong', 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags: ['monitoring'],
      summary: 'Readiness: the database is migrated and Temporal answers',
      responses: {
        200: json(z.object({ ready: z.boolean(), checks: z.record(z.string(), CheckSchema) }), 'Ready'),
        503: json(z.object({ ready: z.boolean(), checks: z.record(z.string(), CheckSchema) }), 'Not ready'),
      },
    }),
    async (c) => {
      const r = await deps.health.ready();
      return r.ready ? c.json(r, 200) : c.json(r, 503);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/detailed',
      tags: ['monitoring'],
      summary: 'Every health check',
      responses: { 200: json(DetailedSchema, 'Health of each dependency') },
    }),
    async (c) => c.json(await deps.health.runAll(), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/{check}',
      tags: ['monitoring'],
      summary: 'One health check',
      request: {
        params: z.object({ check: z.string().openapi({ example: 'database', description: CHECK_NAMES.join(', ') }) }),
      },
      responses: {
        200: json(CheckSchema, 'The check passed or is degraded'),
        503: json(CheckSchema, 'The check is unhealthy'),
        404: json(ErrorEnvelopeSchema, 'Unknown check'),
      },
    }),
    async (c) => {
      const name = c.req.valid('param').check;
      if (!(CHECK_NAMES as readonly string[]).includes(name)) throw notFound('health_check', name);
      const r = await deps.health.run(name as CheckName);
      return r.status === 'UNHEALTHY' ? c.json(r, 503) : c.json(r, 200);
    },
  );
}
