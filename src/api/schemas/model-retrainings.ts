import { z } from '@hono/zod-openapi';

/** Model retraining (admin): docs/model-retraining.md. */
export const RetrainingParam = z.object({
  id: z.string().max(200).openapi({ example: 'model-retraining-3f0c2a4e-8f1b-4c59-a7a2-0d7d3f6f2a11' }),
});

const Score = z.object({ samples: z.number(), top1: z.number(), top3: z.number(), needsInput: z.number() });
const ModelVersion = z.object({ model: z.string(), version: z.string().nullable().optional() });

export const RetrainingSchema = z
  .object({
    id: z.string(),
    status: z.string().openapi({
      example: 'awaiting_approval',
      description:
        'running | awaiting_approval | canary | promoted | stopped_at_gate | rejected | approval_timed_out | rolled_back | failed | cancelled',
    }),
    requestedBy: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    labelled: z.number().nullable().openapi({ description: 'Corrected photos in the snapshot' }),
    trainingJobId: z.string().nullable(),
    candidate: ModelVersion.nullable(),
    evaluation: z
      .object({
        current: Score,
        candidate: Score,
        gate: z.object({ passed: z.boolean(), reasons: z.array(z.string()) }),
      })
      .nullable(),
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    steps: z.array(z.object({ step: z.string(), at: z.string(), detail: z.unknown() })),
  })
  .openapi('ModelRetraining');

export const RetrainingList = z
  .object({
    items: z.array(RetrainingSchema),
    routing: z.object({
      current: ModelVersion,
      candidate: ModelVersion.optional(),
      canaryShare: z.number(),
    }),
  })
  .openapi('ModelRetrainingList');
