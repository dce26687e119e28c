import { createRoute } from '@hono/zod-openapi';
import { mediaTypes } from '../../middleware/media-type';
import { bearer, err, IdempotencyHeader, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import {
  DescribeMealBody,
  MealAccepted,
  MealListQuery,
  MealPage,
  MealParam,
  MealSchema,
  StartMealBody,
  StartMealForm,
} from '../../schemas/meals';

const tags = ['meals'];

export const createMeal = createRoute({
  method: 'post',
  path: '/v1/meals',
  tags,
  summary: 'Log a meal (text and/or photo) and start its analysis',
  security: bearer,
  // Before the validators: a form-urlencoded or text body is a 415 naming both accepted types, not a 422.
  middleware: [mediaTypes(['application/json', 'multipart/form-data'])],
  request: {
    headers: IdempotencyHeader,
    body: {
      content: { 'application/json': { schema: StartMealBody }, 'multipart/form-data': { schema: StartMealForm } },
      required: true,
    },
  },
  responses: {
    202: jsonContent(MealAccepted, 'Analysis started'),
    400: err('Malformed JSON or multipart body'),
    401: err('No or invalid token'),
    409: err('Idempotency-Key reused with another body'),
    413: err('Body or image too large'),
    415: err('Unsupported Content-Type: send application/json or multipart/form-data'),
    422: err('Invalid meal or image'),
    503: err('Temporal unavailable'),
  },
});

export const getMeal = createRoute({
  method: 'get',
  path: '/v1/meals/{mealId}',
  tags,
  summary: 'A meal with its analysis and live status',
  security: bearer,
  request: { params: MealParam },
  responses: {
    200: jsonContent(MealSchema, 'The meal'),
    401: err('No or invalid token'),
    404: err('No such meal for this user'),
  },
});

export const describeMeal = createRoute({
  method: 'post',
  path: '/v1/meals/{mealId}/description',
  tags,
  summary: 'Answer a meal waiting in needs_input with what was eaten',
  security: bearer,
  request: { params: MealParam, ...jsonBody(DescribeMealBody) },
  responses: {
    202: jsonContent(MealAccepted, 'Accepted: the analysis continues'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    404: err('No such meal for this user'),
    409: err('The meal is not waiting for a description'),
    422: err('Invalid description'),
  },
});

export const listMeals = createRoute({
  method: 'get',
  path: '/v1/meals',
  tags,
  summary: "The caller's meals, newest first",
  security: bearer,
  request: { query: MealListQuery },
  responses: {
    200: jsonContent(MealPage, 'A page of meals'),
    401: err('No or invalid token'),
    422: err('Invalid parameters'),
  },
});
