import { z } from '@hono/zod-openapi';
import { CHECK_NAMES, HEALTH_STATUSES } from '../../domain/health';

export const CheckSchema = z
  .object({ status: z.enum(HEALTH_STATUSES), latency_ms: z.number(), detail: z.string() })
  .openapi('HealthCheck');

export const DetailedSchema = z
  .object({ status: z.enum(HEALTH_STATUSES), checks: z.record(z.string(), CheckSchema) })
  .openapi('HealthDetailed');

export const Readiness = z
  .object({
    ready: z.boolean(),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'When not ready: what is wrong and what to do (the first failing check)' }),
    checks: z.record(z.string(), CheckSchema),
  })
  .openapi('Readiness');

export const CheckParam = z.object({
  check: z.string().openapi({ example: 'database', description: CHECK_NAMES.join(', ') }),
});
