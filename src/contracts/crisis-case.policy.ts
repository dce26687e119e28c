import type { CaseTier } from '../domain/crisis/types';
import type { RetryPolicyData, StepPolicy } from './steps';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** One tier's operating targets. Durations in ms, multiplied by CRISIS_TIME_SCALE when a case starts. */
export interface TierPolicy {
  /** How long the current recipient has to acknowledge before the case climbs one level. */
  ackDeadlineMs: number;
  /** Who is notified, in order: the case climbs this ladder and, at the top, keeps re-notifying. */
  ladder: string[];
  /** Check-ins after the case is resolved, each measured from the resolution. */
  followUpsMs: number[];
}

export type CrisisPolicy = Record<CaseTier, TierPolicy>;

const LADDER = ['support-team', 'on-call-clinician', 'clinical-lead'];

/**
 * Defaults from the operating targets in docs (to be agreed with a clinician, hence overridable with
 * CRISIS_POLICY_FILE): low → reviewed within 24 h, check-ins at 24-72 h; moderate → human contact within 1 h,
 * daily check-ins; high → acknowledged within 5 min, follow-ups at 24 h and 48 h; imminent → 2 min (an act
 * may be in progress), then close follow-up.
 */
export const DEFAULT_CRISIS_POLICY: CrisisPolicy = {
  low: { ackDeadlineMs: 24 * HOUR, ladder: LADDER, followUpsMs: [24 * HOUR, 72 * HOUR] },
  moderate: { ackDeadlineMs: 1 * HOUR, ladder: LADDER, followUpsMs: [24 * HOUR, 48 * HOUR, 72 * HOUR] },
  high: { ackDeadlineMs: 5 * MINUTE, ladder: LADDER, followUpsMs: [24 * HOUR, 48 * HOUR] },
  imminent: { ackDeadlineMs: 2 * MINUTE, ladder: LADDER, followUpsMs: [4 * HOUR, 24 * HOUR, 48 * HOUR] },
};

// Case steps write to our database or call a notifier. They must keep trying (a case may never be dropped)
// but fast: the first retry after 1 s, capped at 10 s so a recovered dependency is used within seconds.
const persistent = (nonRetryableErrorTypes: string[] = []): RetryPolicyData => ({
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  nonRetryableErrorTypes,
});

export const CRISIS_CASE_STEPS = {
  record: {
    activity: 'recordCaseEvent',
    required: true,
    queue: 'critical',
    local: true,
    startToCloseTimeout: '10s',
    // Local retries run inside the workflow task (no history of their own, the task held): 5 attempts (at 0,
    // 1, 3, 7, 15 s) cover a brief database hiccup; longer, `recordDurable` takes over. The attempt cap is
    // what ends it: the SDK did not stop a local retry at its schedule-to-close timeout (8 attempts in 50 s
    // with 30 s, tests/integration/crisis-record-event.test.ts).
    scheduleToCloseTimeout: '30s',
    retry: { ...persistent(), maximumAttempts: 5 },
    reason:
      'Local activity: one transaction (the idempotent timeline insert, the case row update and, for a state transition, its domain event in the event outbox), a few ms of PostgreSQL only, so a woken case records and notifies in the workflow task that woke it instead of waiting for two more task hops (escalation lateness under a burst of deadlines). A worker crash before its marker is recorded re-runs it, which the event key makes harmless. 5 local attempts (~15 s); then the same entry goes to recordDurable.',
  },
  recordDurable: {
    activity: 'recordCaseEvent',
    required: true,
    queue: 'critical',
    local: false,
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: '1h',
    retry: persistent(),
    reason:
      'The same entry (same event key, so it is written once) as a regular activity, only when the 5 local attempts (~15 s) failed (a database outage): the server retries it for up to 1 h without growing the history or holding the workflow task, because the audit trail must be complete.',
  },
  notify: {
    activity: 'notifyStaff',
    required: false,
    queue: 'critical',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '1h',
    retry: persistent(['NotifyRejected']),
    reason:
      "Webhook/NATS/email delivery to systems outside our database: a regular activity, so a slow or failing receiver never holds the case's workflow task. 15 s catches a hung receiver. Runs beside the ladder, so retries never delay escalation; a delivery that fails for good is recorded on the timeline and the next level is still notified on time.",
  },
} as const satisfies Record<string, StepPolicy>;

/**
 * The step table of runs started before patch `case-record-local`: `record` was a regular activity and a
 * separate `publish` step queued the domain event after it. They replay (and go on) with it;
 * `GET /v1/workflow-types` shows the current table.
 */
export const CRISIS_CASE_STEPS_BEFORE_LOCAL = {
  record: CRISIS_CASE_STEPS.recordDurable,
  notify: CRISIS_CASE_STEPS.notify,
  publish: {
    activity: 'publishCaseEvent',
    required: false,
    // Domain events are for other services, not for the people waiting: they never take a critical slot.
    queue: 'default',
    local: false,
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: '1h',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: [] },
    reason:
      'Runs started before patch case-record-local only: queues the domain event in the outbox (one INSERT, idempotent by event id, so the event record already queued is kept) beside the ladder, retried for up to 1 h (a database outage) but never delaying an escalation; continue-as-new waits for it.',
  },
} as const satisfies Record<string, StepPolicy>;

export const SCREENING_STEPS = {
  screen: {
    activity: 'screenJournalEntry',
    required: true,
    queue: 'critical',
    local: false,
    startToCloseTimeout: '60s',
    scheduleToCloseTimeout: '1h',
    retry: persistent(['EntryNotFound']),
    reason:
      'Decrypts the entry, screens it and stores the result; retried without limit within 1 h because an unscreened risky entry is the failure that matters. 60 s per attempt: the default screener takes ~2-8 ms even at the 10,000-character limit, the encoder screener (CRISIS_ENCODER_DIR) 0.66-1.7 s p95 for such an entry alone by machine (bench/crisis-screening-length.ts; its embeddings run one at a time on the encoder thread, so screenings take turns), so 20 critical slots of maximal entries queue for up to ~34 s on the slower machine; 60 s covers that and still notices a dead worker within a minute (an attempt cut short is retried: a late screening beats a lost one).',
  },
  escalate: {
    activity: 'openOrJoinCase',
    required: true,
    queue: 'critical',
    local: false,
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: '1h',
    retry: persistent(),
    reason:
      "Signal-with-start of the person's case run; idempotent by entry id, retried without limit within 1 h so a flagged entry always reaches a case.",
  },
} as const satisfies Record<string, StepPolicy>;

/** The case run continues as new past this many history events (top-of-ladder re-notification is unbounded). */
export const CASE_HISTORY_LIMIT = 5_000;
