import { z } from '@hono/zod-openapi';
import { DEFAULT_BATCH_CONCURRENCY, MAX_BATCH_CONCURRENCY } from '../../contracts/meal-batch';
import { MAX_DESCRIPTION_LENGTH, MEAL_STATUSES, MEAL_TYPES } from '../../domain/meals/vocabulary';
import { PageCursor, Text, withinDateRange } from './common';

/** Request and response shapes of the meal and batch routes (the OpenAPI document is generated from these). */

const Description = Text()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`)
  .openapi({ example: '2 eggs, a slice of toast and a banana' });

/** A meal may be logged up to a day ahead (tomorrow's packed lunch), never earlier than 2000. */
const EATEN_AT_AHEAD_MS = 24 * 60 * 60 * 1000;

/** The format of eatenAt and of the list's from/to: an ISO instant with an offset (each bounds its own range). */
const IsoInstant = () => z.iso.datetime({ offset: true });

const EatenAt = withinDateRange(IsoInstant(), {
  ms: () => Date.now() + EATEN_AT_AHEAD_MS + 1,
  says: 'at most 1 day after now',
}).openapi({ example: '2026-11-22T12:30:00Z' });

const MealFields = {
  description: Description.optional(),
  eatenAt: EatenAt.optional(),
  mealType: z.enum(MEAL_TYPES).optional(),
};

export const StartMealBody = z.object(MealFields).strict().openapi('StartMeal');
export type StartMealFields = z.infer<typeof StartMealBody>;

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

const StepSchema = z
  .object({
    name: z.string(),
    activity: z
      .string()
      .optional()
      .describe('The Temporal activity type the step runs (absent on meals recorded before it was reported).'),
    status: z.string(),
    required: z.boolean(),
    attempts: z.number().describe('Attempts the step took, as its activity reported them.'),
    error: z.string().optional(),
  })
  .openapi('Step');

export const MealSchema = z
  .object({
    mealId: z.string(),
    workflowId: z.string(),
    status: z.enum(MEAL_STATUSES),
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
    model: z
      .object({ name: z.string(), version: z.string().nullable() })
      .optional()
      .openapi({ description: "The recogniser model and version behind a photo meal's analysis" }),
    confirmedAt: z
      .string()
      .nullable()
      .openapi({ description: 'When the person confirmed the analysis is right (POST /v1/meals/{mealId}/confirm)' }),
    original: z
      .object({
        items: z.array(z.unknown()),
        totals: z.unknown(),
        feedback: z.array(z.unknown()),
        confidence: z.number(),
        analyzedAt: z.string(),
      })
      .optional()
      .openapi({ description: 'The analysis before the first correction, kept as it was (corrected meals only)' }),
    correction: z
      .object({
        correctionId: z.string(),
        revision: z.number().int(),
        status: z.string(),
        correctedBy: z.string(),
        requestedAt: z.string(),
        correctedAt: z.string().nullable(),
        workflowId: z.string(),
        error: z.string().optional(),
      })
      .optional()
      .openapi({ description: 'The latest correction (PATCH /v1/meals/{mealId}/items): who, when, and its status' }),
  })
  .openapi('Meal');
export type MealView = z.infer<typeof MealSchema>;

export const MealParam = z.object({ mealId: z.string() });

export const MealListQuery = z.object({
  from: withinDateRange(IsoInstant()).optional(),
  to: withinDateRange(IsoInstant()).optional(),
  cursor: PageCursor(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const MealPage = z.object({ items: z.array(MealSchema), nextCursor: z.string().nullable() });

export const DescribeMealBody = z.object({ description: Description }).strict().openapi('DescribeMeal');

const MAX_BATCH_ITEMS = 500;

/** Meals of a batch analysed at once: the batch body and the batch workflow's catalog entry share it. */
export const BatchConcurrency = z
  .number()
  .int()
  .min(1)
  .max(MAX_BATCH_CONCURRENCY)
  .optional()
  .openapi({ description: `Meals analysed at once (default ${DEFAULT_BATCH_CONCURRENCY})` });

export const BatchBody = z
  .object({
    items: z
      .array(z.object({ ...MealFields, description: Description }).strict())
      .min(1, 'must hold at least one meal')
      .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} meals`),
    concurrency: BatchConcurrency,
  })
  .strict()
  .openapi('StartBatch');
export type BatchItem = z.infer<typeof BatchBody>['items'][number];

export const BatchAccepted = z.object({ batchId: z.string().uuid(), workflowId: z.string() }).openapi('BatchAccepted');

/** A batch's run as the API shows it (Temporal's execution status, narrowed). */
const BATCH_RUN_STATUSES = ['running', 'completed', 'cancelled', 'failed'] as const;

export const BatchSchema = z
  .object({
    batchId: z.string(),
    workflowId: z.string(),
    status: z.enum(BATCH_RUN_STATUSES),
    total: z.number(),
    concurrency: z.number(),
    counts: z.record(z.string(), z.number()),
    items: z.array(z.object({ mealId: z.string(), status: z.string(), error: z.string().optional() })),
  })
  .openapi('Batch');
export type BatchView = z.infer<typeof BatchSchema>;

export const BatchParam = z.object({ batchId: z.string() });
