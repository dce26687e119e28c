import { z } from '@hono/zod-openapi';
import { CASE_STATUSES } from '../../domain/crisis/types';

/** How staff close the loop on a case; recorded on the case and its timeline. */
const RESOLVE_OUTCOMES = [
  'contacted_safe',
  'referred_to_clinician',
  'emergency_services',
  'no_risk_found',
  'unreachable',
] as const;

export const CaseParam = z.object({ caseId: z.string() });

export const CaseListQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const NoteBody = z
  .object({
    note: z
      .string()
      .max(5000)
      .refine((t) => t.trim().length > 0, 'must not be empty'),
  })
  .strict()
  .openapi('CaseNote');

export const ResolveBody = z
  .object({ outcome: z.enum(RESOLVE_OUTCOMES), note: z.string().max(5000).optional() })
  .strict()
  .openapi('CaseResolve');

export const CaseSchema = z.object({ caseId: z.string() }).passthrough().openapi('CrisisCase');

export const CaseList = z.object({ items: z.array(CaseSchema) });
