import type { Context } from 'hono';
import { caller } from '../../auth';
import { AppError, validationError } from '../../errors';
import { StartMealBody, type StartMealFields } from '../../schemas/meals';
import type { MealService } from '../../services/meals.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './meals.routes';

/** A multipart start request's fields (validated like the JSON body) and its photo, if it has one. */
async function readForm(c: Context): Promise<{ fields: StartMealFields; image?: File }> {
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
  return { fields: parsed.data, image };
}

export function mealHandlers(meals: MealService) {
  /** A JSON or multipart start request; the photo is decoded, stripped and stored before the meal is. */
  const create: AppRouteHandler<typeof routes.createMeal> = async (c) => {
    const multipart = (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
    const { fields, image } = multipart ? await readForm(c) : { fields: c.req.valid('json'), image: undefined };
    const imageKey = image ? await meals.storePhoto(Buffer.from(await image.arrayBuffer())) : undefined;
    if (!fields.description && !imageKey) {
      throw new AppError(
        'validation',
        'description_or_image_required',
        'A meal needs a description, a photo, or both',
        [{ path: 'description', message: 'required without an image' }],
      );
    }
    const started = await meals.start({
      userId: caller(c).sub,
      description: fields.description,
      imageKey,
      eatenAt: fields.eatenAt ? new Date(fields.eatenAt) : undefined,
      mealType: fields.mealType,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    c.header('Location', `/v1/meals/${started.mealId}`);
    if (started.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ mealId: started.mealId, workflowId: started.workflowId, status: 'queued' }, 202);
  };

  const get: AppRouteHandler<typeof routes.getMeal> = async (c) =>
    c.json(await meals.get(c.req.valid('param').mealId, caller(c).sub), 200);

  const describe: AppRouteHandler<typeof routes.describeMeal> = async (c) => {
    const meal = await meals.describe(c.req.valid('param').mealId, caller(c).sub, c.req.valid('json').description);
    return c.json({ mealId: meal.id, workflowId: meal.workflowId, status: 'running' }, 202);
  };

  const list: AppRouteHandler<typeof routes.listMeals> = async (c) =>
    c.json(await meals.list({ userId: caller(c).sub, ...c.req.valid('query') }), 200);

  return { create, get, describe, list };
}
