import { isSearchableQuery, searchFoods } from '../../domain/nutrition/food-search';
import { FoodIndex } from '../../domain/nutrition/food-table';
import { AppError } from '../errors';

/**
 * The food table (USDA SR28, src/domain/nutrition) searched by name, for picking a food in a meal correction.
 * Pure and in memory: no database or Temporal call, so it answers while either is down.
 */
export function createFoodService(foods: FoodIndex = new FoodIndex()) {
  function search(q: string, limit: number, offset: number) {
    if (!isSearchableQuery(q))
      throw new AppError('validation', 'invalid_query', 'q must contain a letter or a digit', [
        { path: 'q', message: 'must contain a letter or a digit' },
      ]);
    const hits = searchFoods(foods, q);
    const page = hits.slice(offset, offset + limit);
    return {
      items: page.map(({ food }) => ({
        foodId: food.id,
        name: food.name,
        category: food.category,
        aliases: food.aliases.slice(0, 10),
        per100g: food.per100g,
        portions: food.portions,
      })),
      total: hits.length,
      nextOffset: offset + limit < hits.length ? offset + limit : null,
    };
  }
  return { search };
}

export type FoodService = ReturnType<typeof createFoodService>;
