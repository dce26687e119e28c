import type { FoodService } from '../../services/foods.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './foods.routes';

export function foodHandlers(foods: FoodService) {
  const search: AppRouteHandler<typeof routes.searchFoods> = async (c) => {
    const { q, limit, offset } = c.req.valid('query');
    return c.json(foods.search(q, limit, offset), 200);
  };
  return { search };
}
