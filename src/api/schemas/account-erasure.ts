import { z } from '@hono/zod-openapi';
import { ERASURE_KINDS, ERASURE_TRIGGERS } from '../../domain/account/erasure';
import { subSchema } from '../identity/caller';

export const EraseMeBody = z
  .object({
    confirm: z.literal(true).openapi({ description: 'Must be true: erasure cannot be undone' }),
  })
  .openapi('EraseMeRequest');

export const UserParam = z.object({
  // The same rule as a token's sub (identity/caller.ts): ids become part of workflow and schedule ids.
  userId: z
    .string()
    .max(128)
    .refine((id) => subSchema.safeParse(id).success, 'user ids are letters, digits and _.@:-')
    .openapi({ param: { name: 'userId', in: 'path' } }),
});

export const ErasureStarted = z
  .object({
    userId: z.string(),
    workflowId: z.string(),
    status: z.enum(['erasing', 'completed']),
    /** True when the erasure had already been asked for: nothing new was started. */
    alreadyRequested: z.boolean(),
  })
  .openapi('AccountErasureStarted');

export const ErasureReceiptView = z
  .object({
    userId: z.string(),
    workflowId: z.string(),
    trigger: z.enum(ERASURE_TRIGGERS),
    status: z.enum(['erasing', 'completed']),
    requestedAt: z.string(),
    runsClosedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    counts: z.object(Object.fromEntries(ERASURE_KINDS.map((k) => [k, z.number().int()]))),
    crisisCasesRetained: z.number().int(),
  })
  .openapi('AccountErasureReceipt');
