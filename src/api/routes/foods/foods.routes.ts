import { createRoute } from '@hono/zod-openapi';
import { bearer, err, jsonContent } from '../../schemas/common';
import { FoodPage, FoodsQuery } from '../../schemas/meal-corrections';

export const searchFoods = createRoute({
  method: 'get',
  path: '/v1/foods',
  tags: ['meals'],
  summary: 'Search the food table by name (for correcting a meal)',
  security: bearer,
  request: { query: FoodsQuery },
  responses: {
    200: jsonContent(FoodPage, 'Matching foods, best first'),
    401: err('No or invalid token'),
    422: err('Missing or invalid q, limit or offset'),
  },
});
