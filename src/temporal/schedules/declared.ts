import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../config-error';
import { isValidTimeZone } from '../../domain/insights/time';
import { MAINTENANCE_WORKFLOW_TYPES } from '../../contracts/maintenance';
import { WEEKLY_INSIGHTS_ALL } from '../../contracts/weekly-insights-all';
import { MODEL_RETRAINING } from '../../contracts/model-retraining';

/**
 * The system schedules, declared as data. `wellflow schedules sync` (and every `wellflow dev` start) makes
 * Temporal match this list: creates what is missing, updates what differs, deletes managed schedules that
 * are no longer declared. SCHEDULES_FILE replaces the built-in list with a JSON array of the same shape.
 */

/** The workflow types a declaration may name (each resolves to its function in temporal/workflow-registry.ts). */
export const SCHEDULABLE_WORKFLOW_TYPES = [
  WEEKLY_INSIGHTS_ALL,
  ...Object.values(MAINTENANCE_WORKFLOW_TYPES),
  MODEL_RETRAINING,
] as const;
const DURATION = /^\d+(ms|s|m|h|d)$/;
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

export const scheduleDeclarationSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be lower-case letters, digits and dashes')
      .refine((id) => !id.startsWith('insights-user-'), 'the insights-user- prefix belongs to per-person schedules'),
    description: z.string().min(1).max(300),
    workflowType: z.enum(SCHEDULABLE_WORKFLOW_TYPES),
    args: z.record(z.string(), z.unknown()).default({}),
    /** A standard five-field cron expression, or `calendar`: one of the two. */
    cron: z
      .string()
      .regex(/^\S+( \S+){4}$/, 'must be a five-field cron expression')
      .optional(),
    calendar: z
      .object({
        dayOfWeek: z.enum(DAYS).optional(),
        hour: z.number().int().min(0).max(23),
        minute: z.number().int().min(0).max(59).default(0),
      })
      .strict()
      .optional(),
    timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone').default('UTC'),
    /** Only SKIP: a job still running when the next is due lets that one go (never two at once). */
    overlap: z.literal('SKIP').default('SKIP'),
    /** How late a missed run (server down at the due time) may still start; older ones are dropped. */
    catchupWindow: z.string().regex(DURATION, 'must be a duration such as 10m or 1h'),
    /** Random delay up to this much, so jobs due at the same minute do not all start at once. */
    jitter: z.string().regex(DURATION, 'must be a duration such as 30s').default('0s'),
  })
  .strict()
  .refine((d) => (d.cron === undefined) !== (d.calendar === undefined), 'needs exactly one of cron or calendar');

export type ScheduleDeclaration = z.infer<typeof scheduleDeclarationSchema>;

export const DEFAULT_SCHEDULES: ScheduleDeclaration[] = [
  {
    id: 'weekly-insights',
    description: "Every person's insight for the week that just ended",
    workflowType: WEEKLY_INSIGHTS_ALL,
    args: {},
    // Monday 12:00 UTC: the week has ended everywhere (UTC-12 reaches Monday 00:00 at 12:00 UTC).
    calendar: { dayOfWeek: 'MONDAY', hour: 12, minute: 0 },
    timezone: 'UTC',
    overlap: 'SKIP',
    // A weekly summary a day late is still worth sending; after that the next week's is near.
    catchupWindow: '1d',
    jitter: '5m',
  },
  {
    id: 'maintenance-cleanup',
    description: 'Expired idempotency records, abandoned uploads, meals stuck waiting for input',
    workflowType: MAINTENANCE_WORKFLOW_TYPES.cleanup,
    args: {},
    cron: '17 * * * *', // hourly; minute 17 stays clear of the on-the-hour crowd
    timezone: 'UTC',
    overlap: 'SKIP',
    catchupWindow: '30m', // a missed hourly run is covered by the next one
    jitter: '1m',
  },
  {
    id: 'maintenance-retention',
    description: 'Delete meal photos and journal text past their retention period',
    workflowType: MAINTENANCE_WORKFLOW_TYPES.retention,
    args: {},
    cron: '30 3 * * *', // daily, at the quietest hour
    timezone: 'UTC',
    overlap: 'SKIP',
    catchupWindow: '6h', // deletion is a promise to people: still run it the same day after an outage
    jitter: '5m',
  },
  {
    id: 'maintenance-database',
    description: 'VACUUM (ANALYZE) the app tables and report dead tuples and sizes',
    workflowType: MAINTENANCE_WORKFLOW_TYPES.database,
    args: {},
    calendar: { dayOfWeek: 'SUNDAY', hour: 4, minute: 0 }, // weekly; autovacuum does the daily work
    timezone: 'UTC',
    overlap: 'SKIP',
    catchupWindow: '3h', // never push a VACUUM into Monday's traffic
    jitter: '5m',
  },
  {
    id: 'maintenance-health-report',
    description: 'Run the health checks, store the report, alert when UNHEALTHY',
    workflowType: MAINTENANCE_WORKFLOW_TYPES['health-report'],
    args: {},
    cron: '*/15 * * * *', // every 15 minutes: an outage is reported within a quarter hour
    timezone: 'UTC',
    overlap: 'SKIP',
    catchupWindow: '5m', // a stale report is worthless: the next one is due soon
    jitter: '30s',
  },
  {
    id: 'model-retraining-monthly',
    description: "Retrain the photo recogniser on the month's corrections; a candidate still needs an admin's approval",
    workflowType: MODEL_RETRAINING,
    args: { requestedBy: 'schedule' },
    cron: '0 2 1 * *', // the 1st of the month, 02:00 UTC: training runs overnight, approval waits for the morning
    timezone: 'UTC',
    overlap: 'SKIP', // a run still in its canary (or waiting for approval) lets the next month's go
    catchupWindow: '1d', // a month's retraining a day late is still this month's
    jitter: '10m',
  },
];

/** The declared list: SCHEDULES_FILE when set, else the built-in one. Invalid files stop start-up. */
export function loadDeclaredSchedules(file: string | undefined): ScheduleDeclaration[] {
  if (!file) return DEFAULT_SCHEDULES;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration: SCHEDULES_FILE could not be read as JSON (${(err as Error).message})`,
    );
  }
  const parsed = z.array(scheduleDeclarationSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: SCHEDULES_FILE ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = parsed.data.map((d) => d.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(`Invalid configuration: SCHEDULES_FILE declares ${dup} twice`);
  return parsed.data;
}

/** A stable fingerprint of a declaration: sync compares it with the one stored on the schedule. */
export function declarationHash(d: ScheduleDeclaration): string {
  const canonical = JSON.stringify(d, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
