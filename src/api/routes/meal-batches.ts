import { createRoute, z } from '@hono/zod-openapi';
import { caller } from '../auth';
import { createBatchService } from '../batch-service';
import type { ApiDeps, App } from '../deps';
import { ErrorEnvelopeSchema, notFound } from '../errors';
import { BatchAccepted, BatchBody, BatchSchema, IdempotencyHeader, UUID_RE } from '../schemas/meals';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});

export function registerMealBatchRoutes(app: App, deps: ApiDeps): void {
  const service = createBatchService({
    database: deps.database,
    temporal: deps.temporal,
    idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/meals/batch',
      tags: ['meals'],
      summary: 'Log up to 500 meals at once; each is analysed by its own child run',
      security: [{ bearer: [] }],
      request: {
        headers: IdempotencyHeader,
        body: { content: { 'application/json': { schema: BatchBody } }, required: true },
      },
      responses: {
        202: { content: { 'application/json': { schema: BatchAccepted } }, description: 'Batch started' },
        400: err('Malformed JSON'),
        401: err('No or invalid token'),
        409: err('Idempotency-Key reused with another body'),
        413: err('Body too large'),
        422: err('Invalid batch (empty, over 500 items, or an invalid item)'),
        503: err('Temporal unavailable'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const started = await service.start({
        userId: caller(c).sub,
        items: body.items.map((i) => ({ description: i.description, eatenAt: i.eatenAt, mealType: i.mealType })),
        concurrency: body.concurrency,
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        requestId: c.get('requestId'),
      });
      c.header('Location', `/v1/meals/batch/${started.batchId}`);
      if (started.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json({ batchId: started.batchId, workflowId: started.workflowId }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/meals/batch/{batchId}',
      tags: ['meals'],
      summary: 'Counts and per-item status of a batch',
      security: [{ bearer: [] }],
      request: { params: z.object({ batchId: z.string() }) },
      responses: {
        200: { content: { 'application/json': { schema: BatchSchema } }, description: 'The batch' },
        401: err('No or invalid token'),
        404: err('No such batch for this user'),
      },
    }),
    async (c) => {
      const { batchId } = c.req.valid('param');
      if (!UUID_RE.test(batchId)) throw notFound('meal_batch', batchId);
      const batch = await service.batches.getOwned(batchId, caller(c).sub);
      if (!batch) throw notFound('meal_batch', batchId);
      return c.json(await service.view(batch), 200);
    },
  );
}
