import type { temporal } from '@temporalio/proto';
import { StatusKey } from '../../../contracts/search-attributes';

/**
 * Step progress of one run as server-sent events, derived from its Temporal history (durable and ordered,
 * so a resumed stream replays exactly what was missed) plus the pending-activity view for retries, which
 * history records only when an activity finally completes or fails.
 *
 * Event ids: a history event's id (`17`), or `<last history id>.<attempt>` for a retry seen while waiting
 * (`17.3`). Both compare as (history id, attempt), so `Last-Event-ID` resumes after the right point.
 */

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Every event a run's stream can carry (the OpenAPI document lists them from here). */
export const RUN_EVENT_TYPES = [
  'run.started',
  'step.started',
  'step.retried',
  'step.completed',
  'step.failed',
  'step.cancelled',
  'input.waiting',
  'status',
  'signal',
  'timer.started',
  'child.started',
  'child.finished',
  'run.finished',
] as const;

export interface RunEvent {
  id: string;
  event: (typeof RUN_EVENT_TYPES)[number];
  data: Record<string, string | number | boolean | null>;
}

export interface EventCursor {
  historyId: number;
  attempt: number;
}

export function parseEventId(id: string | undefined): EventCursor | undefined {
  const m = id ? /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(id.trim()) : null;
  return m ? { historyId: Number(m[1]), attempt: Number(m[2] ?? 0) } : undefined;
}

export function isAfter(id: string, cursor: EventCursor | undefined): boolean {
  if (!cursor) return true;
  const c = parseEventId(id)!;
  return c.historyId > cursor.historyId || (c.historyId === cursor.historyId && c.attempt > cursor.attempt);
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const timeOf = (e: HistoryEvent) =>
  e.eventTime?.seconds != null
    ? new Date(num(e.eventTime.seconds) * 1000 + Math.floor(num(e.eventTime.nanos) / 1e6)).toISOString()
    : null;

/** Search attribute payloads are plain JSON (never encrypted): ids and statuses only. */
function keywordOf(payload: temporal.api.common.v1.IPayload | null | undefined): string | null {
  if (!payload?.data) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(payload.data).toString('utf8'));
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
  } catch {
    return null;
  }
}

/** The activity type a local-activity marker stands for (core writes its metadata as plain JSON). */
function localActivityType(e: HistoryEvent): string | null {
  const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return null;
  try {
    const meta = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; activityType?: string };
    return meta.activity_type ?? meta.activityType ?? null;
  } catch {
    return null;
  }
}

const FINISHED: [keyof HistoryEvent, string][] = [
  ['workflowExecutionCompletedEventAttributes', 'completed'],
  ['workflowExecutionFailedEventAttributes', 'failed'],
  ['workflowExecutionTimedOutEventAttributes', 'timed_out'],
  ['workflowExecutionCanceledEventAttributes', 'cancelled'],
  ['workflowExecutionTerminatedEventAttributes', 'terminated'],
  ['workflowExecutionContinuedAsNewEventAttributes', 'continued_as_new'],
];

/**
 * Turns history events into stream events. Stateful only in what it must remember: which step each
 * scheduled activity is (completion events refer back to the scheduled event's id).
 */
export class RunEventMapper {
  private readonly scheduled = new Map<number, { step: string; activity: string }>();
  private readonly children = new Map<number, string>();
  lastHistoryId = 0;
  finished = false;

  constructor(
    private readonly base: { workflowId: string; runId: string },
    /** activity type → step name, from the workflow type's policy table. */
    private readonly stepOf: (activityType: string) => string,
  ) {}

  map(e: HistoryEvent): RunEvent[] {
    const id = num(e.eventId);
    this.lastHistoryId = Math.max(this.lastHistoryId, id);
    const out = (event: RunEvent['event'], data: RunEvent['data'] = {}): RunEvent[] => [
      { id: String(id), event, data: { ...this.base, at: timeOf(e), ...data } },
    ];
    if (e.workflowExecutionStartedEventAttributes)
      return out('run.started', { type: e.workflowExecutionStartedEventAttributes.workflowType?.name ?? null });
    const sched = e.activityTaskScheduledEventAttributes;
    if (sched) {
      const activity = sched.activityType?.name ?? 'unknown';
      const step = this.stepOf(activity);
      this.scheduled.set(id, { step, activity });
      return out('step.started', { step, activity });
    }
    const done =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (done) {
      const s = this.scheduled.get(num(done.scheduledEventId)) ?? { step: 'unknown', activity: 'unknown' };
      if (e.activityTaskCompletedEventAttributes) return out('step.completed', s);
      if (e.activityTaskCanceledEventAttributes) return out('step.cancelled', s);
      const failure = e.activityTaskFailedEventAttributes?.failure ?? e.activityTaskTimedOutEventAttributes?.failure;
      return out('step.failed', { ...s, error: describe(failure) });
    }
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      const activity = localActivityType(e) ?? 'unknown';
      const failed = Boolean(e.markerRecordedEventAttributes.failure);
      return out(failed ? 'step.failed' : 'step.completed', {
        step: this.stepOf(activity),
        activity,
        local: true,
        ...(failed ? { error: describe(e.markerRecordedEventAttributes.failure) } : {}),
      });
    }
    const upsert = e.upsertWorkflowSearchAttributesEventAttributes;
    if (upsert) {
      const status = keywordOf(upsert.searchAttributes?.indexedFields?.[StatusKey.name]);
      if (!status) return [];
      return status === 'needs_input' ? out('input.waiting', { status }) : out('status', { status });
    }
    if (e.workflowExecutionSignaledEventAttributes)
      return out('signal', { name: e.workflowExecutionSignaledEventAttributes.signalName ?? null });
    if (e.workflowExecutionUpdateAcceptedEventAttributes)
      return out('signal', {
        name: e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? null,
        update: true,
      });
    if (e.timerStartedEventAttributes)
      return out('timer.started', { seconds: num(e.timerStartedEventAttributes.startToFireTimeout?.seconds) });
    const child = e.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) {
      this.children.set(id, child.workflowId ?? 'unknown');
      return out('child.started', { childWorkflowId: child.workflowId ?? null });
    }
    for (const [key, status] of [
      ['childWorkflowExecutionCompletedEventAttributes', 'completed'],
      ['childWorkflowExecutionFailedEventAttributes', 'failed'],
      ['childWorkflowExecutionCanceledEventAttributes', 'cancelled'],
      ['childWorkflowExecutionTerminatedEventAttributes', 'terminated'],
      ['childWorkflowExecutionTimedOutEventAttributes', 'timed_out'],
    ] as const) {
      const a = e[key];
      if (a)
        return out('child.finished', {
          childWorkflowId: a.workflowExecution?.workflowId ?? this.children.get(num(a.initiatedEventId)) ?? null,
          status,
        });
    }
    for (const [key, status] of FINISHED) {
      if (!e[key]) continue;
      this.finished = true;
      const failure = e.workflowExecutionFailedEventAttributes?.failure;
      return out('run.finished', { status, ...(failure ? { error: describe(failure) } : {}) });
    }
    return [];
  }

  /** A retry of a still-pending activity, seen in the run's description (history has no event for it). */
  retry(p: temporal.api.workflow.v1.IPendingActivityInfo): RunEvent | undefined {
    const attempt = num(p.attempt);
    if (attempt < 2) return undefined;
    const activity = p.activityType?.name ?? 'unknown';
    return {
      id: `${this.lastHistoryId}.${attempt}`,
      event: 'step.retried',
      data: {
        ...this.base,
        step: this.stepOf(activity),
        activity,
        attempt,
        error: describe(p.lastFailure),
        at: new Date().toISOString(),
      },
    };
  }
}

/** The innermost failure's type and message (no stack), as clients see errors elsewhere in the API. */
function describe(failure: temporal.api.failure.v1.IFailure | null | undefined): string | null {
  let f = failure;
  while (f?.cause) f = f.cause;
  if (!f) return null;
  const type = f.applicationFailureInfo?.type;
  return type ? `${type}: ${f.message ?? ''}` : (f.message ?? null);
}
