import { z } from '@hono/zod-openapi';
import { isIsoDate, isoWeekday, isValidTimeZone } from '../../domain/insights/time';
import { WEEKDAYS } from '../../domain/weekdays';
import { withinDateRange } from './common';

const WeekStart = withinDateRange(
  z
    .string()
    .refine(isIsoDate, 'must be a date YYYY-MM-DD')
    .refine((d) => !isIsoDate(d) || isoWeekday(d) === 0, 'must be a Monday'), // isoWeekday: 0 = Monday
).openapi({ example: '2026-11-16' });
const TimeZone = z
  .string()
  .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin')
  .openapi({ example: 'Europe/Berlin' });

export const WeeklyInsightBody = z
  .object({ weekStart: WeekStart.optional(), timezone: TimeZone.optional() })
  .strict()
  .openapi('WeeklyInsightRequest');

export const InsightStarted = z.object({ workflowId: z.string(), weekStart: z.string() });

export const WeekQuery = z.object({ weekStart: WeekStart });

export const InsightParam = z.object({ insightId: z.string() });

/** The stored insight: its ids and week, then the computed insight's own fields. */
export const InsightView = z.object({ insightId: z.string() }).passthrough();

export const InsightScheduleBody = z
  .object({
    dayOfWeek: z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` }),
    ),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM between 00:00 and 23:59'),
    timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  })
  .strict()
  .openapi('InsightSchedule', { example: { dayOfWeek: 'monday', time: '08:00', timezone: 'Europe/Berlin' } });

export const InsightScheduleView = z
  .object({
    scheduleId: z.string(),
    dayOfWeek: z.string(),
    time: z.string(),
    timezone: z.string(),
    paused: z.boolean(),
    nextRuns: z.array(z.string()),
  })
  .openapi('InsightScheduleView');
