import { z } from 'zod';
import { ERASURE_TRIGGERS } from '../../domain/account/erasure';
import { CASE_STATUSES, CASE_TIERS } from '../../domain/crisis/types';
import { CHECK_NAMES } from '../../domain/health';
import { MEAL_OUTCOMES } from '../../domain/meals/vocabulary';
import { EXECUTION_STATUSES, EXECUTION_TRIGGERS, TASK_STATUSES } from '../../domain/routines/vocabulary';

/**
 * The domain-event contract: one envelope for every event (CloudEvents 1.0, JSON format), one zod schema
 * per event type for its `data`, and the JSON Schemas generated from them (docs/events.md prints them; a
 * unit test keeps the doc and these in step).
 *
 * Events carry ids and statuses ONLY, never health content (no descriptions, journal text, nutrients, items,
 * feedback, outcomes written by staff): subscribers fetch details through the API with their own
 * authorisation. Three guards keep it that way:
 *   1. every `data` schema is a closed object (`additionalProperties: false`) of a few whitelisted fields,
 *      each an id, a date, a number or an enum, so there is no free-text field to put content in;
 *   2. `buildDomainEvent` parses `data` with that schema, which drops any extra property a caller passes
 *      (a meal row with its description leaks nothing) and rejects a malformed one;
 *   3. tests/unit/domain-events-schemas.test.ts walks the generated JSON Schemas against a field whitelist.
 *
 * Delivery is at-least-once (activities retry; a publish whose confirmation was lost is sent again), so the
 * envelope `id` is DETERMINISTIC per business fact: a redelivery carries the same id (also sent as the NATS
 * `Nats-Msg-Id` header, which a JetStream stream uses to drop duplicates), and consumers dedupe by it.
 *
 * Pure: no I/O, no clock (the caller passes the fact's time), so it is safe to import anywhere.
 */

export const EVENT_SOURCE = 'wellflow';
export const SPEC_VERSION = '1.0';

// ---- field types: each one is an id, a date, a count or an enum (no free text) -----------------------------

const uuid = (what: string) => z.uuid().describe(what);
/** Same rule as the API's token `sub` (src/api/auth.ts): a user id can never be a sentence. */
const userId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.@:-]+$/)
  .describe('The person (the token `sub` of the API); fetch details through the API.');

/**
 * Crisis-case events: the case's state transitions (from its audit timeline). Other timeline entries
 * (notified, renotified, flagged, follow_up, note, notify_failed) change no state and are not published.
 */
export const CASE_EVENTS = [
  'opened',
  'escalated',
  'tier_raised',
  'acknowledged',
  'resolved',
  'reopened',
  'closed',
] as const;
export type CaseEventName = (typeof CASE_EVENTS)[number];

// ---- data schemas per event type ----------------------------------------------------------------------------

const MealAnalyzedData = z
  .object({
    mealId: uuid('The meal (GET /v1/meals/{mealId}).'),
    userId,
    outcome: z.enum(MEAL_OUTCOMES).describe('How the analysis closed.'),
  })
  .describe('A meal analysis closed.');

const InsightGeneratedData = z
  .object({
    insightId: uuid('The stored insight; it keeps its id when the same week is recomputed.'),
    userId,
    weekStart: z.iso.date().describe("The Monday (YYYY-MM-DD) of the week, in the insight's time zone."),
    mealCount: z.int().min(0).max(100_000).describe('How many analysed meals the week has.'),
  })
  .describe('A weekly insight was computed and stored.');

const CrisisCaseData = z
  .object({
    caseId: uuid('The crisis case (staff: GET /v1/crisis/cases/{caseId}).'),
    userId,
    tier: z.enum(CASE_TIERS).describe('Risk tier of the case after this event.'),
    status: z.enum(CASE_STATUSES).describe('Status of the case after this event.'),
    level: z.int().min(0).max(100).describe('Escalation level after this event (0 = first recipient role).'),
  })
  .describe('A crisis case changed state.');

const OpsUnhealthyData = z
  .object({
    runId: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9-]+$/)
      .describe('The health-report run (its summary is in app.maintenance_runs).'),
    status: z.literal('UNHEALTHY').describe('The overall status of the report.'),
    failing: z
      .string()
      .max(120)
      .regex(new RegExp(`^(${CHECK_NAMES.join('|')})(,(${CHECK_NAMES.join('|')}))*$`))
      .describe('The checks that were not HEALTHY, comma-separated (names only, never their details).'),
  })
  .describe('The scheduled health report found the service UNHEALTHY (the database or Temporal failing).');

const TaskData = z
  .object({
    taskId: uuid('The task (GET /v1/tasks/{taskId}).'),
    userId,
    status: z.enum(TASK_STATUSES).describe('Status of the task after this event.'),
  })
  .describe('A personal routine task was created, changed, paused or resumed, or deleted.');

const TaskExecutedData = z
  .object({
    taskId: uuid('The task (GET /v1/tasks/{taskId}).'),
    userId,
    executionId: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_.:-]+$/)
      .describe('The run (GET /v1/tasks/{taskId}/executions); also its workflow id.'),
    outcome: z.enum(EXECUTION_STATUSES).describe('How the run ended.'),
    trigger: z.enum(EXECUTION_TRIGGERS).describe('Started by the task schedule or by hand.'),
  })
  .describe('A run of a personal routine task ended.');

const UserErasedData = z
  .object({
    userId,
    trigger: z.enum(ERASURE_TRIGGERS).describe('Who asked: the person, an admin, or the user.deleted event.'),
  })
  .describe(
    "A person's data was erased (their crisis cases are kept for the clinical record); the receipt is at GET /v1/admin/users/{id}/erasure.",
  );

export const TASK_EVENTS = ['task.created', 'task.updated', 'task.deleted', 'task.status_changed'] as const;
export type TaskEventType = (typeof TASK_EVENTS)[number];

/** Every published `crisis.case.*` type. */
export const CASE_EVENT_TYPES = CASE_EVENTS.map((e) => `crisis.case.${e}` as const);
export type CrisisCaseEventType = `crisis.case.${CaseEventName}`;

/** Every event type and its `data` schema. The NATS subject is `wellflow.<type>` (see subjectFor). */
export const DATA_SCHEMAS = {
  'meal.analyzed': MealAnalyzedData,
  'insight.generated': InsightGeneratedData,
  'ops.unhealthy': OpsUnhealthyData,
  'task.executed': TaskExecutedData,
  'user.erased': UserErasedData,
  ...(Object.fromEntries(TASK_EVENTS.map((t) => [t, TaskData])) as Record<TaskEventType, typeof TaskData>),
  ...(Object.fromEntries(CASE_EVENT_TYPES.map((t) => [t, CrisisCaseData])) as Record<
    CrisisCaseEventType,
    typeof CrisisCaseData
  >),
} as const;

export type EventType = keyof typeof DATA_SCHEMAS;
export type EventData<T extends EventType> = z.output<(typeof DATA_SCHEMAS)[T]>;
export const EVENT_TYPES = Object.keys(DATA_SCHEMAS) as EventType[];

/** The envelope (CloudEvents 1.0 JSON; no `datacontenttype`: JSON data implies application/json). */
export interface DomainEnvelope<T extends EventType = EventType> {
  specversion: typeof SPEC_VERSION;
  /** `<type>:<fact key>`: the same for every redelivery of one business fact. */
  id: string;
  type: T;
  source: typeof EVENT_SOURCE;
  /** When the fact happened (ISO 8601, UTC), not when this copy was sent. */
  time: string;
  /** The id of the entity the event is about (mealId, insightId, caseId). */
  subject?: string;
  data: EventData<T>;
}

/**
 * `wellflow.<type>`: `wellflow.meal.analyzed`, `wellflow.insight.generated`, `wellflow.crisis.case.opened`.
 *
 * Crisis events live under `wellflow.crisis.case.*`, NOT `wellflow.crisis.<event>`: those subjects belong
 * to the staff-alert channel (src/adapters/notify/nats.ts), whose messages have another shape (recipient,
 * link, ack deadline) and fire on other moments (every re-notification, follow-ups due; never on
 * acknowledged/resolved). One shape per subject, and moving the staff alerts would break the pager
 * bridges subscribed to them.
 */
export function subjectFor(type: EventType): string {
  return `wellflow.${type}`;
}

/** `closed` → `crisis.case.closed`, or undefined for timeline entries that are not published. */
export function caseEventType(timelineType: string): CrisisCaseEventType | undefined {
  return (CASE_EVENTS as readonly string[]).includes(timelineType)
    ? (`crisis.case.${timelineType}` as CrisisCaseEventType)
    : undefined;
}

/** The entity an event is about: its CloudEvents `subject`. */
function subjectIdOf(data: Record<string, unknown>): string | undefined {
  const id = data.mealId ?? data.insightId ?? data.caseId ?? data.taskId;
  return typeof id === 'string' ? id : undefined;
}

const FACT_KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * THE way a domain event is built (pure). `fact.key` identifies the business fact, so that every retry of
 * the publishing activity produces the same `id`:
 *   meal.analyzed       key = mealId                      (a meal closes once)
 *   insight.generated   key = insightId:computedAt        (each recomputation of a week is a new fact)
 *   crisis.case.*       key = the timeline event key       (caseId:runId:seq, unique per case event)
 * `fact.time` is when the fact happened (ISO 8601 UTC), also stable across retries.
 * `data` is parsed with the type's schema: unknown properties are dropped, invalid values throw.
 */
export function buildDomainEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  fact: { key: string; time: string },
): DomainEnvelope<T> {
  const schema = DATA_SCHEMAS[type] as unknown as z.ZodType<EventData<T>> | undefined;
  if (!schema) throw new Error(`unknown domain event type ${String(type)}`);
  if (!FACT_KEY.test(fact.key)) throw new Error(`invalid fact key for ${type}`);
  const time = new Date(fact.time);
  if (Number.isNaN(time.getTime())) throw new Error(`invalid event time for ${type}`);
  const clean = schema.parse(data);
  const subject = subjectIdOf(clean as Record<string, unknown>);
  return {
    specversion: SPEC_VERSION,
    id: `${type}:${fact.key}`,
    type,
    source: EVENT_SOURCE,
    time: time.toISOString(),
    ...(subject ? { subject } : {}),
    data: clean,
  };
}
