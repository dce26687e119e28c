import { createRoute, z } from '@hono/zod-openapi';
import { caller } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema, notFound } from '../errors';
import { createMealService, MEAL_TYPES, mealView } from '../meal-service';

export const MAX_DESCRIPTION = 2000;

const StartMealBody = z
  .object({
    description: z.string().trim().min(1, 'must not be empty').max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`).optional(),
    eatenAt: z.iso.datetime({ offset: true }).optional().openapi({ example: '2026-11-22T12:30:00Z' }),
    mealType: z.enum(MEAL_TYPES).optional(),
  })
  .strict()
  .openapi('StartMeal');
const Accepted = z.object({ mealId: z.string().uuid(), workflowId: z.string(), status: z.string() }).openapi('MealAccepted');
const MealSchema = z
  .object({
    mealId: z.string(),
    workflowId: z.string(),
    status: z.enum(['queued', 'running', 'needs_input', 'completed', 'failed', 'cancelled']),
    eatenAt: z.string(),
    mealType: z.string(),
    description: z.string().nullable(),
    steps: z.array(z.object({ name: z.string(), status: z.string(), required: z.boolean(), attempts: z.number(), error: z.string().optional() })),
    items: z.array(z.unknown()),
    totals: z.unknown().nullable(),
    confidence: z.number().nullable(),
    feedback: z.array(z.unknown()),
    warnings: z.array(z.string()),
    error: z.string().nullable().optional(),
  })
  .openapi('Meal');
const err = (description: string) => ({ content: { 'application/json': { schema: ErrorEnvelopeSchema } }, description });
const IdempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().openapi({ description: 'Same key + same user + same body = same meal, nothing new started' }),
});

function decodeCursor(cursor: string): { eatenAt: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const eatenAt = new Date(t);
    if (Number.isNaN(eatenAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad');
    return { eatenAt, id };
  } catch {
    throw new AppError('validation', 'invalid_cursor', 'The cursor is not valid');
  }
}

export function registerMealRoutes(app: App, deps: ApiDeps): void {
  const service = createMealService({ database: deps.database, temporal: deps.temporal, idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/meals',
      tags: ['meals'],
      summary: 'Log a meal and start its analysis',
      security: [{ bearer: [] }],
      request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: StartMealBody } }, required: true } },
      responses: { 202: { content: { 'application/json': { schema: Accepted } }, description: 'Analysis started' }, 400: err('Malformed JSON'), 401: err('No or invalid token'), 409: err('Idempotency-Key reused with another body'), 422: err('Invalid meal'), 503: err('Temporal unavailable') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (!body.description) {
        throw new AppError('validation', 'description_required', 'A meal needs a description (photo upload arrives with the meal-analysis pipeline)', [{ path: 'description', message: 'required' }]);
      }
      const started = await service.start({
        userId: caller(c).sub,
        description: body.description,
        eatenAt: body.eatenAt ? new Date(body.eatenAt) : undefined,
        mealType: body.mealType,
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        requestId: c.get('requestId'),
      });
      c.header('Location', `/v1/meals/${started.mealId}`);
      if (started.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json({ mealId: started.mealId, workflowId: started.workflowId, status: 'queued' }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/meals/{mealId}',
      tags: ['meals'],
      summary: 'A meal with its analysis and live status',
      security: [{ bearer: [] }],
      request: { params: z.object({ mealId: z.string() }) },
      responses: { 200: { content: { 'application/json': { schema: MealSchema } }, description: 'The meal' }, 401: err('No or invalid token'), 404: err('No such meal for this user') },
    }),
    async (c) => {
      const { mealId } = c.req.valid('param');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(mealId)) throw notFound('meal', mealId);
      const found = await service.meals.getOwned(mealId, caller(c).sub);
      if (!found) throw notFound('meal', mealId);
      return c.json(mealView(found.meal, found.analysis, await service.status(found.meal)) as z.infer<typeof MealSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/meals',
      tags: ['meals'],
      summary: "The caller's meals, newest first",
      security: [{ bearer: [] }],
      request: {
        query: z.object({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          cursor: z.string().max(512).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
      responses: { 200: { content: { 'application/json': { schema: z.object({ items: z.array(MealSchema), nextCursor: z.string().nullable() }) } }, description: 'A page of meals' }, 401: err('No or invalid token'), 422: err('Invalid parameters') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await service.meals.listOwned({
        userId: caller(c).sub,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      const items = await Promise.all(page.map(async (r) => mealView(r.meals, r.meal_analyses ?? undefined, await service.status(r.meals))));
      const last = page[page.length - 1];
      const nextCursor = rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.meals.eatenAt.toISOString(), last.meals.id])).toString('base64url') : null;
      return c.json({ items: items as z.infer<typeof MealSchema>[], nextCursor }, 200);
    },
  );
}
