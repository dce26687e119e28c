/**
 * Crisis-case notifications (staff alerting) and the failures of delivering them.
 *
 * A notification carries ids, a tier, an escalation position and a link to the secure staff view: never
 * journal text, messages or any other health content. Staff open the link and authenticate to see the case.
 * `serializeNotification` is the only way a notification becomes bytes, and it copies the allowed fields by
 * name, so a caller that passes a richer object (a case row with its triggering text) leaks nothing.
 */

export const CRISIS_EVENTS = [
  'case.opened',
  'case.escalated',
  'case.renotified',
  'case.acknowledged',
  'case.followup_due',
  'case.resolved',
  'case.closed',
  'case.reopened',
  // The person asked to be erased (src/workflows/account-erasure.ts): the case is kept for the clinical record.
  'case.erasure_requested',
] as const;
export type CrisisEvent = (typeof CRISIS_EVENTS)[number];

export type CrisisTier = 'low' | 'moderate' | 'high' | 'imminent';

export interface CrisisNotification {
  event: CrisisEvent;
  caseId: string;
  userId: string;
  tier: CrisisTier;
  /** Escalation level index (0 = first recipient). */
  level: number;
  /** e.g. 'support-team', 'on-call-clinician', 'clinical-lead'. */
  recipient: string;
  /** ISO timestamp by which the recipient must acknowledge. */
  ackDeadline?: string;
  /** Secure staff view URL, e.g. https://staff.example/cases/<caseId>. */
  link: string;
  /**
   * Idempotency key. Channels are at-least-once (a fan-out retry re-sends to channels that already
   * succeeded; a timed-out request may have been delivered), so receivers must dedupe by this id.
   */
  notificationId: string;
  /** ISO timestamp of the case event. */
  occurredAt: string;
}

export interface Notifier {
  /** 'log', 'webhook', 'nats', 'email' or 'fanout'. */
  readonly kind: string;
  /** Resolves once the channel has accepted the notification; throws a NotifyError otherwise. */
  notify(n: CrisisNotification): Promise<void>;
  close(): Promise<void>;
}

/** The only fields a serialised notification may contain, in wire order. */
export const NOTIFICATION_FIELDS = [
  'event',
  'caseId',
  'userId',
  'tier',
  'level',
  'recipient',
  'ackDeadline',
  'link',
  'notificationId',
  'occurredAt',
] as const satisfies readonly (keyof CrisisNotification)[];

/** A copy holding only the allowed fields (unknown extra properties are dropped, not forwarded). */
export function pickNotification(n: CrisisNotification): CrisisNotification {
  const out: CrisisNotification = {
    event: n.event,
    caseId: n.caseId,
    userId: n.userId,
    tier: n.tier,
    level: n.level,
    recipient: n.recipient,
    link: n.link,
    notificationId: n.notificationId,
    occurredAt: n.occurredAt,
  };
  if (n.ackDeadline !== undefined) out.ackDeadline = n.ackDeadline;
  return out;
}

/** The JSON every channel sends: allowed fields only. */
export function serializeNotification(n: CrisisNotification): string {
  // The key list is a second guard: JSON.stringify emits only these keys, in this order.
  return JSON.stringify(pickNotification(n), [...NOTIFICATION_FIELDS]);
}

/** `case.escalated` → `wellflow.crisis.escalated`. */
export function natsSubjectFor(event: CrisisEvent): string {
  return `wellflow.crisis.${event.replace(/^case\./, '')}`;
}

export type NotifyErrorCode =
  | 'timeout'
  | 'unavailable'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'unauthorized'
  | 'redirect'
  | 'partial_failure';

/** One channel's failure inside a fan-out. */
export interface ChannelFailure {
  channel: string;
  code: NotifyErrorCode;
  retryable: boolean;
  message: string;
}

/**
 * A notification that was not (or not everywhere) delivered.
 *
 * `retryable` answers: could the same send succeed later without anyone changing anything? Timeouts,
 * refused connections, 429 and 5xx: yes. Other 4xx and redirects: no (the URL, the secret or the payload
 * is wrong). SMTP replies read the other way round: 4xx is temporary (yes), 5xx permanent (no). Activities
 * should turn `retryable: false` into `ApplicationFailure.nonRetryable` so Temporal does not burn the retry
 * budget on it (as src/activities/meals.ts does for InferenceError).
 *
 * Messages never contain the webhook secret, URL credentials, query strings or notification content.
 */
export class NotifyError extends Error {
  readonly code: NotifyErrorCode;
  readonly retryable: boolean;
  /** The channel kind that failed ('webhook', 'nats', 'email', 'fanout'). */
  readonly channel: string;
  /** HTTP status, when a webhook receiver answered. */
  readonly status: number | undefined;
  /** From Retry-After on 429/503: a hint for the activity's next retry delay. */
  readonly retryAfterMs: number | undefined;
  /** Fan-out only: every channel that failed. */
  readonly failures: ChannelFailure[];
  /** Fan-out only: the channels that accepted the notification. */
  readonly delivered: string[];

  constructor(
    code: NotifyErrorCode,
    message: string,
    extra: {
      channel: string;
      retryable?: boolean;
      status?: number;
      retryAfterMs?: number;
      failures?: ChannelFailure[];
      delivered?: string[];
    },
  ) {
    super(message);
    this.name = 'NotifyError';
    this.code = code;
    this.channel = extra.channel;
    this.retryable = extra.retryable ?? ['timeout', 'unavailable', 'rate_limited', 'server_error'].includes(code);
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
    this.failures = extra.failures ?? [];
    this.delivered = extra.delivered ?? [];
  }
}
