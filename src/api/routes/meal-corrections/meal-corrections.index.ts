import { createRouter } from '../../router';
import { createMealCorrectionService } from '../../services/meal-corrections.service';
import type { ApiDeps } from '../../types';
import { mealCorrectionHandlers } from './meal-corrections.handlers';
import * as routes from './meal-corrections.routes';

export function mealCorrectionsRouter(deps: ApiDeps) {
  const handlers = mealCorrectionHandlers(
    createMealCorrectionService({
      database: deps.database,
      temporal: deps.temporal,
      logger: deps.logger,
      idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    }),
  );
  return createRouter()
    .openapi(routes.correctMealItems, handlers.correct)
    .openapi(routes.confirmMeal, handlers.confirm);
}
