import { z } from '@hono/zod-openapi';
import { MEAL_TYPES } from '../meal-service';
import { MAX_DESCRIPTION_LENGTH } from '../../workflows/meal-analysis';

/** Request and response shapes of the meal routes (the OpenAPI document is generated from these). */

export const Description = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`)
  .openapi({ example: '2 eggs, a slice of toast and a banana' });

export const MealFields = {
  description: Description.optional(),
  eatenAt: z.iso.datetime({ offset: true }).optional().openapi({ example: '2026-11-22T12:30:00Z' }),
  mealType: z.enum(MEAL_TYPES).optional(),
};

export const StartMealBody = z.object(MealFields).strict().openapi('StartMeal');

/** Multipart form: the same fields plus the photo (JPEG, PNG or WebP, up to 10 MB). */
export const StartMealForm = z
  .object({
    ...MealFields,
    image: z
      .any()
      .optional()
      .openapi({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 10 MB' }),
  })
  .openapi('StartMealForm');

export const MealAccepted = z
  .object({ mealId: z.string().uuid(), workflowId: z.string(), status: z.string() })
  .openapi('MealAccepted');

export const StepSchema = z
  .object({
    name: z.string(),
    status: z.string(),
    required: z.boolean(),
    attempts: z.number(),
    error: z.string().optional(),
  })
  .openapi('Step');

export const MealSchema = z
  .object({
    mealId: z.string(),
    workflowId: z.string(),
    status: z.enum(['queued', 'running', 'needs_input', 'completed', 'failed', 'cancelled']),
    eatenAt: z.string(),
    mealType: z.string(),
    description: z.string().nullable(),
    hasImage: z.boolean(),
    question: z.string().optional().openapi({ description: 'What the meal is asking, while it waits in needs_input' }),
    steps: z.array(StepSchema),
    items: z.array(z.unknown()),
    totals: z.unknown().nullable(),
    confidence: z.number().nullable(),
    feedback: z.array(z.unknown()),
    warnings: z.array(z.string()),
    error: z.string().nullable().optional(),
  })
  .openapi('Meal');

export const DescribeMealBody = z.object({ description: Description }).strict().openapi('DescribeMeal');

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'Same key + same user + same body = same resource, nothing new started' }),
});

export const MAX_BATCH_ITEMS = 500;

export const BatchBody = z
  .object({
    items: z
      .array(z.object({ ...MealFields, description: Description }).strict())
      .min(1, 'must hold at least one meal')
      .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} meals`),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(32)
      .optional()
      .openapi({ description: 'Meals analysed at once (default 8)' }),
  })
  .strict()
  .openapi('StartBatch');

export const BatchAccepted = z.object({ batchId: z.string().uuid(), workflowId: z.string() }).openapi('BatchAccepted');

export const BatchSchema = z
  .object({
    batchId: z.string(),
    workflowId: z.string(),
    status: z.enum(['running', 'completed', 'cancelled', 'failed']),
    total: z.number(),
    concurrency: z.number(),
    counts: z.record(z.string(), z.number()),
    items: z.array(z.object({ mealId: z.string(), status: z.string(), error: z.string().optional() })),
  })
  .openapi('Batch');

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
