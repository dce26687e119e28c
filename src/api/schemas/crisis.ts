import { z } from '@hono/zod-openapi';
import { RESCREEN_MAX_DAYS, RESCREEN_MIN_DAYS } from '../../contracts/journal-rescreen';
import { CASE_STATUSES } from '../../domain/crisis/types';
import { Text } from './common';

/** How staff close the loop on a case; recorded on the case and its timeline. */
export const RESOLVE_OUTCOMES = [
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
    note: Text()
      .max(5000)
      .refine((t) => t.trim().length > 0, 'must not be empty'),
  })
  .strict()
  .openapi('CaseNote');

export const ResolveBody = z
  .object({ outcome: z.enum(RESOLVE_OUTCOMES), note: Text().max(5000).optional() })
  .strict()
  .openapi('CaseResolve');

export const CaseSchema = z.object({ caseId: z.string() }).passthrough().openapi('CrisisCase');

export const CaseList = z.object({ items: z.array(CaseSchema) });

/** One message for every way `days` can be wrong, in the words a staff member filling the form would use. */
const DAYS_MESSAGE = `a whole number of days from ${RESCREEN_MIN_DAYS} to ${RESCREEN_MAX_DAYS}`;

/** Starts a re-screen of the entries of the last `days` days with the current screener (staff). */
export const RescreenBody = z
  .object({
    days: z
      .number({ error: DAYS_MESSAGE })
      .int({ error: DAYS_MESSAGE })
      .min(RESCREEN_MIN_DAYS, { error: DAYS_MESSAGE })
      .max(RESCREEN_MAX_DAYS, { error: DAYS_MESSAGE })
      .openapi({
        description: `Entries written in the last ${RESCREEN_MIN_DAYS}-${RESCREEN_MAX_DAYS} days`,
        example: 30,
      }),
  })
  .strict()
  .openapi('CrisisRescreen');

export const RescreenStarted = z
  .object({
    workflowId: z
      .string()
      .openapi({ description: 'journal-rescreen-<screenerVersion>: follow it at /v1/workflows/{id}' }),
    screenerVersion: z.string(),
    alreadyRunning: z
      .boolean()
      .openapi({ description: 'A re-screen for this screener version was already running: this is that run' }),
  })
  .openapi('CrisisRescreenStarted');
