import { caller } from '../../auth';
import type { MealCorrectionService } from '../../services/meal-corrections.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './meal-corrections.routes';

export function mealCorrectionHandlers(corrections: MealCorrectionService) {
  const correct: AppRouteHandler<typeof routes.correctMealItems> = async (c) => {
    const { replayed, ...accepted } = await corrections.correct({
      mealId: c.req.valid('param').mealId,
      userId: caller(c).sub,
      items: c.req.valid('json').items,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    c.header('Location', `/v1/meals/${accepted.mealId}`);
    if (replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(accepted, 202);
  };
  const confirm: AppRouteHandler<typeof routes.confirmMeal> = async (c) =>
    c.json(await corrections.confirm({ mealId: c.req.valid('param').mealId, userId: caller(c).sub }), 200);
  return { correct, confirm };
}
