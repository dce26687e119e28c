import { createRouter } from '../../router';
import { createMealService } from '../../services/meals.service';
import type { ApiDeps } from '../../types';
import { mealHandlers } from './meals.handlers';
import * as routes from './meals.routes';

export function mealsRouter(deps: ApiDeps) {
  const handlers = mealHandlers(
    createMealService({
      database: deps.database,
      temporal: deps.temporal,
      images: deps.images,
      logger: deps.logger,
      idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
      inputTimeout: deps.config.MEAL_INPUT_TIMEOUT,
    }),
  );
  return createRouter()
    .openapi(routes.createMeal, handlers.create)
    .openapi(routes.getMeal, handlers.get)
    .openapi(routes.describeMeal, handlers.describe)
    .openapi(routes.listMeals, handlers.list);
}
