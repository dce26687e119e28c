import { z } from '@hono/zod-openapi';
import {
  MAX_CORRECTION_DESCRIPTION,
  MAX_CORRECTION_GRAMS,
  MAX_CORRECTION_ITEMS,
} from '../../domain/nutrition/correction';
import { DEFAULT_FOOD_PAGE, MAX_FOOD_PAGE, MAX_FOOD_QUERY } from '../../domain/nutrition/food-search';
import { Text } from './common';

/** Request and response shapes of PATCH /v1/meals/{mealId}/items and GET /v1/foods. */

const DescriptionItem = z
  .object({
    description: Text({ nonBlank: true })
      .max(MAX_CORRECTION_DESCRIPTION, `must be at most ${MAX_CORRECTION_DESCRIPTION} characters`)
      .openapi({ example: '4 eggs' }),
  })
  .strict()
  .openapi('CorrectionTextItem', { description: 'A line of meal text, read as a meal description is' });

const FoodItem = z
  .object({
    foodId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9:_-]+$/, 'must be a food id from GET /v1/foods')
      .openapi({ example: '15237' }),
    amount: z
      .number()
      .positive('must be more than 0')
      .max(MAX_CORRECTION_GRAMS, `must be at most ${MAX_CORRECTION_GRAMS}`)
      .openapi({ example: 150 }),
    unit: Text({ nonBlank: true })
      .max(20)
      .openapi({ example: 'g', description: 'g, kg, oz, lb, ml, cup, tbsp, tsp, slice, piece, serving, fillet…' }),
  })
  .strict()
  .openapi('CorrectionFoodItem', { description: 'A food from the table with an amount and a unit' });

export const CorrectItemsBody = z
  .object({
    items: z
      .array(z.union([DescriptionItem, FoodItem]))
      .min(1, 'must hold at least one item')
      .max(MAX_CORRECTION_ITEMS, `must hold at most ${MAX_CORRECTION_ITEMS} items`),
  })
  .strict()
  .openapi('CorrectMealItems');

export const CorrectionAccepted = z
  .object({
    mealId: z.string().uuid(),
    correctionId: z.string().uuid(),
    revision: z.number().int(),
    workflowId: z.string(),
    runId: z.string().nullable(),
    status: z.string(),
  })
  .openapi('CorrectionAccepted');

export const MealConfirmed = z.object({ mealId: z.string().uuid(), confirmedAt: z.string() }).openapi('MealConfirmed');

/**
 * A food name: at least one letter or digit (punctuation alone finds nothing) and no control characters, in one
 * pattern so the OpenAPI document states the whole rule.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FOOD_QUERY = /^[^\x00-\x08\x0B\x0C\x0E-\x1F]*[A-Za-z0-9][^\x00-\x08\x0B\x0C\x0E-\x1F]*$/;

export const FoodsQuery = z.object({
  q: z
    .string()
    .max(MAX_FOOD_QUERY, `must be at most ${MAX_FOOD_QUERY} characters`)
    .regex(FOOD_QUERY, 'must contain a letter or a digit, and no control characters')
    .openapi({ example: 'salmon' }),
  limit: z.coerce.number().int().min(1).max(MAX_FOOD_PAGE).default(DEFAULT_FOOD_PAGE),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

const Nutrients = z.record(z.string(), z.number().nullable());

export const FoodView = z
  .object({
    foodId: z.string(),
    name: z.string(),
    category: z.string(),
    aliases: z.array(z.string()),
    per100g: Nutrients,
    portions: z.array(z.object({ amount: z.number(), unit: z.string(), grams: z.number() })),
  })
  .openapi('Food');

export const FoodPage = z
  .object({ items: z.array(FoodView), total: z.number().int(), nextOffset: z.number().int().nullable() })
  .openapi('FoodPage');
