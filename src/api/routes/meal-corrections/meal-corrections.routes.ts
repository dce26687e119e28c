import { createRoute } from '@hono/zod-openapi';
import { bearer, err, IdempotencyHeader, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { CorrectionAccepted, CorrectItemsBody, MealConfirmed } from '../../schemas/meal-corrections';
import { MealParam } from '../../schemas/meals';

export const correctMealItems = createRoute({
  method: 'patch',
  path: '/v1/meals/{mealId}/items',
  tags: ['meals'],
  summary: "Replace an analysed meal's items; totals, feedback and the week's insight follow",
  description:
    'Each item is `{description}` (a line of meal text such as "4 eggs") or `{foodId, amount, unit}` (a food from GET /v1/foods). The list replaces the items: change a food or an amount, remove or add items. The original analysis is kept and shown beside the correction.',
  security: bearer,
  request: { params: MealParam, headers: IdempotencyHeader, ...jsonBody(CorrectItemsBody) },
  responses: {
    202: jsonContent(CorrectionAccepted, 'Accepted: the correction run recomputes totals and feedback'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    404: err('No such meal for this user'),
    409: err('The meal is not analysed yet, another correction is running, or Idempotency-Key reused'),
    422: err('Empty or oversized list, unknown food or unit, or a line that matches no food'),
    503: err('Temporal or the database unavailable'),
  },
});

export const confirmMeal = createRoute({
  method: 'post',
  path: '/v1/meals/{mealId}/confirm',
  tags: ['meals'],
  summary: "Confirm an analysed meal's items are right",
  description:
    'The person says the analysis is right: a photo meal becomes a labelled example for the next model retraining (docs/model-retraining.md). Confirming again keeps the first time; a later correction still replaces the items.',
  security: bearer,
  request: { params: MealParam },
  responses: {
    200: jsonContent(MealConfirmed, 'Confirmed (or already confirmed: the first time is kept)'),
    401: err('No or invalid token'),
    404: err('No such meal for this user'),
    409: err('The meal is not analysed yet, or a correction is being applied'),
    503: err('The database unavailable'),
  },
});
