import { z } from '@hono/zod-openapi';
import { Text } from './common';

/** Long enough for a real journal page; beyond it the entry is more likely a paste than a reflection. */
const MAX_JOURNAL_TEXT = 10_000;

export const EntryBody = z
  .object({
    text: Text({ nonBlank: true }).max(MAX_JOURNAL_TEXT, `must be at most ${MAX_JOURNAL_TEXT} characters`),
    mood: z.number().int().min(1).max(10).optional().openapi({ description: '1 (very low) to 10 (very good)' }),
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must look like en-US')
      .optional()
      .openapi({ example: 'en-US' }),
  })
  .strict()
  .openapi('JournalEntry');
export type JournalEntryInput = z.infer<typeof EntryBody>;

export const EntryAccepted = z.object({ entryId: z.string(), workflowId: z.string() });

export const EntryParam = z.object({ entryId: z.string() });

/**
 * The entry as its author (text, support) or staff (screening with `why`: the rules' tier and categories, the
 * model's scores and whether it was unsure, and which signal set the tier) see it.
 */
export const EntryView = z.object({ entryId: z.string() }).passthrough();
