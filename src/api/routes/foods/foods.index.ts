import { createRouter } from '../../router';
import { createFoodService } from '../../services/foods.service';
import { foodHandlers } from './foods.handlers';
import * as routes from './foods.routes';

export function foodsRouter() {
  const handlers = foodHandlers(createFoodService());
  return createRouter().openapi(routes.searchFoods, handlers.search);
}
