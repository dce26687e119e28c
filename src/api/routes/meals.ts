import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ImageRejected, processUpload } from '../../adapters/images/validate';
import { caller } from '../auth';
import type { ApiDeps, App, AppEnv } from '../deps';
import { AppError, ErrorEnvelopeSchema, notFound, validationError } from '../errors';
import { createMealService, mealView } from '../meal-service';
import {
  DescribeMealBody,
  IdempotencyHeader,
  MealAccepted,
  MealSchema,
  StartMealBody,
  StartMealForm,
  UUID_RE,
} from '../schemas/meals';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});

/**
 * The stored photo keeps enough detail for a person to look at it again (2048 px); the model gets its own,
 * smaller copy in the workflow's preprocess step.
 */
const STORED_IMAGE_EDGE = 2048;

function decodeCursor(cursor: string): { eatenAt: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const eatenAt = new Date(t);
    if (Number.isNaN(eatenAt.getTime()) || !UUID_RE.test(id)) throw new Error('bad');
    return { eatenAt, id };
  } catch {
    throw new AppError('validation', 'invalid_cursor', 'The cursor is not valid');
  }
}

const imageError = (e: ImageRejected) =>
  new AppError(e.code === 'too_large' ? 'payload_too_large' : 'validation', e.code, e.message, [
    { path: 'image', message: e.message },
  ]);

/** Reads a JSON or multipart start request into one shape; the photo is decoded, stripped and stored. */
async function readStart(
  c: Context<AppEnv>,
  deps: ApiDeps,
): Promise<{ fields: z.infer<typeof StartMealBody>; imageKey?: string }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) {
    return { fields: (c.req as unknown as { valid(t: 'json'): z.infer<typeof StartMealBody> }).valid('json') };
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: false });
  } catch {
    throw new AppError('validation', 'malformed_multipart', 'The multipart body could not be read', null, 400);
  }
  const { image, ...rest } = form;
  const parsed = StartMealBody.safeParse(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== '')));
  if (!parsed.success) throw validationError(parsed.error, 'form');
  if (image === undefined || image === '') return { fields: parsed.data };
  if (!(image instanceof File))
    throw new AppError('validation', 'invalid_image', 'image must be a file', [
      { path: 'image', message: 'must be a file' },
    ]);
  try {
    const processed = await processUpload(Buffer.from(await image.arrayBuffer()), { maxEdge: STORED_IMAGE_EDGE });
    return { fields: parsed.data, imageKey: await deps.images.put(processed.bytes, processed.contentType) };
  } catch (e) {
    throw e instanceof ImageRejected ? imageError(e) : e;
  }
}

export function registerMealRoutes(app: App, deps: ApiDeps): void {
  const service = createMealService({
    database: deps.database,
    temporal: deps.temporal,
    idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    inputTimeout: deps.config.MEAL_INPUT_TIMEOUT,
  });
  const ownedMeal = async (c: Context<AppEnv>, mealId: string) => {
    if (!UUID_RE.test(mealId)) throw notFound('meal', mealId);
    const found = await service.meals.getOwned(mealId, caller(c).sub);
    if (!found) throw notFound('meal', mealId);
    return found;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/meals',
      tags: ['meals'],
      summary: 'Log a meal (text and/or photo) and start its analysis',
      security: [{ bearer: [] }],
      request: {
        headers: IdempotencyHeader,
        body: {
          content: { 'application/json': { schema: StartMealBody }, 'multipart/form-data': { schema: StartMealForm } },
          required: true,
        },
      },
      responses: {
        202: { content: { 'application/json': { schema: MealAccepted } }, description: 'Analysis started' },
        400: err('Malformed JSON or multipart body'),
        401: err('No or invalid token'),
        409: err('Idempotency-Key reused with another body'),
        413: err('Body or image too large'),
        422: err('Invalid meal or image'),
        503: err('Temporal unavailable'),
      },
    }),
    async (c) => {
      const { fields, imageKey } = await readStart(c, deps);
      if (!fields.description && !imageKey) {
        throw new AppError(
          'validation',
          'description_or_image_required',
          'A meal needs a description, a photo, or both',
          [{ path: 'description', message: 'required without an image' }],
        );
      }
      const started = await service.start({
        userId: caller(c).sub,
        description: fields.description,
        imageKey,
        eatenAt: fields.eatenAt ? new Date(fields.eatenAt) : undefined,
        mealType: fields.mealType,
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
      responses: {
        200: { content: { 'application/json': { schema: MealSchema } }, description: 'The meal' },
        401: err('No or invalid token'),
        404: err('No such meal for this user'),
      },
    }),
    async (c) => {
      const found = await ownedMeal(c, c.req.valid('param').mealId);
      return c.json(
        mealView(found.meal, found.analysis, await service.status(found.meal)) as unknown as z.infer<typeof MealSchema>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/meals/{mealId}/description',
      tags: ['meals'],
      summary: 'Answer a meal waiting in needs_input with what was eaten',
      security: [{ bearer: [] }],
      request: {
        params: z.object({ mealId: z.string() }),
        body: { content: { 'application/json': { schema: DescribeMealBody } }, required: true },
      },
      responses: {
        202: {
          content: { 'application/json': { schema: MealAccepted } },
          description: 'Accepted: the analysis continues',
        },
        401: err('No or invalid token'),
        404: err('No such meal for this user'),
        409: err('The meal is not waiting for a description'),
        422: err('Invalid description'),
      },
    }),
    async (c) => {
      const { meal } = await ownedMeal(c, c.req.valid('param').mealId);
      await service.describe(meal, c.req.valid('json').description);
      return c.json({ mealId: meal.id, workflowId: meal.workflowId, status: 'running' }, 202);
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
      responses: {
        200: {
          content: {
            'application/json': { schema: z.object({ items: z.array(MealSchema), nextCursor: z.string().nullable() }) },
          },
          description: 'A page of meals',
        },
        401: err('No or invalid token'),
        422: err('Invalid parameters'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.from && q.to && new Date(q.from) >= new Date(q.to))
        throw new AppError('validation', 'invalid_range', '`from` must be before `to`', [
          { path: 'from', message: 'must be before to' },
        ]);
      const rows = await service.meals.listOwned({
        userId: caller(c).sub,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      const items = await Promise.all(
        page.map(async (r) => mealView(r.meals, r.meal_analyses ?? undefined, await service.status(r.meals))),
      );
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > q.limit && last
          ? Buffer.from(JSON.stringify([last.meals.eatenAt.toISOString(), last.meals.id])).toString('base64url')
          : null;
      return c.json({ items: items as unknown as z.infer<typeof MealSchema>[], nextCursor }, 200);
    },
  );
}
