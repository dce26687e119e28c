import { z } from '@hono/zod-openapi';
import { Instant, Text } from './common';

export const ScheduleSchema = z.object({ scheduleId: z.string() }).passthrough().openapi('Schedule');
export const ScheduleList = z.object({ items: z.array(ScheduleSchema) });
export const ScheduleIdParam = z.object({ id: z.string().openapi({ example: 'maintenance-cleanup' }) });
export const BackfillBody = z.object({ start: Instant, end: Instant }).strict().openapi('Backfill');
export const ScheduleNoteBody = z.object({ note: Text().max(500).optional() }).strict();
export const Triggered = z.object({ scheduleId: z.string(), triggered: z.boolean() });
export const BackfillAccepted = z.object({ scheduleId: z.string(), start: z.string(), end: z.string() });

export const JobParam = z.object({ job: z.string().openapi({ example: 'cleanup' }) });
export const MaintenanceStarted = z.object({
  workflowId: z.string(),
  runId: z.string().optional(),
  job: z.string(),
  alreadyRunning: z.boolean(),
});
