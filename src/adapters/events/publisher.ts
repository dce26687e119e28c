import type { Logger } from '../../logger';
import { type DomainEnvelope, subjectFor } from './schema';
import { createNatsPublisher, type DurableStream, NATS_MSG_ID_HEADER } from '../nats-publisher';

/**
 * Events for other services. Domain events (meal analysed, insight generated, crisis case changed) are
 * CloudEvents envelopes built by `buildDomainEvent` (./schema.ts, the documented contract, docs/events.md)
 * and sent with `publishDomainEvent`. Everything carries ids and statuses only, never health data:
 * subscribers fetch details through the API with their own authorisation.
 */

export interface PublishOptions {
  /** Sent as the `Nats-Msg-Id` header: a JetStream stream capturing the subject drops duplicates by it. */
  msgId?: string;
}

export interface EventPublisher {
  readonly kind: 'nats' | 'log' | 'outbox';
  /** Resolves once the server has the message (a flush round-trip); throws when it cannot confirm. */
  publish(subject: string, event: DomainEnvelope, options?: PublishOptions): Promise<void>;
  close(): Promise<void>;
}

export { NATS_MSG_ID_HEADER };

/**
 * Publishes a domain event on `wellflow.<type>` with `Nats-Msg-Id: <event id>`. At-least-once: callers are
 * activities, whose retries (and a confirmation lost after the server got the message) send the same event
 * again with the same id; consumers dedupe by `id`.
 */
export function publishDomainEvent(publisher: EventPublisher, event: DomainEnvelope): Promise<void> {
  return publisher.publish(subjectFor(event.type), event, { msgId: event.id });
}

// A publish is one small message: if NATS has not answered a connect or a flush round-trip in 5 s it is down,
// and the activity's retry policy (not this client) decides whether to try again.
const NATS_TIMEOUT_MS = 5_000;

/**
 * The JetStream stream that keeps every `wellflow.>` message (domain events and staff alerts), declared by the
 * outbox relay when missing. A week of retention lets a consumer that was down for days catch up; the 1 h
 * duplicate window covers any republish the relay can make (a crash between acknowledgement and stamp).
 */
export const WELLFLOW_STREAM: DurableStream = {
  name: 'WELLFLOW',
  subjects: ['wellflow.>'],
  maxAgeMs: 7 * 24 * 3_600_000,
  duplicateWindowMs: 3_600_000,
};

/** NATS when NATS_URL is set (its own lazily opened connection); otherwise events go to the log. */
export function createEventPublisher(
  natsUrl: string | undefined,
  logger: Logger,
  opts: { timeoutMs?: number; stream?: DurableStream } = {},
): EventPublisher {
  const log = logger.child({ component: 'events' });
  if (!natsUrl) {
    return {
      kind: 'log',
      async publish(subject, event, options) {
        log.info({ subject, event, ...(options?.msgId ? { msgId: options.msgId } : {}) }, 'event');
      },
      async close() {},
    };
  }
  const nats = createNatsPublisher(new URL(natsUrl), {
    name: 'wellflow',
    timeoutMs: opts.timeoutMs ?? NATS_TIMEOUT_MS,
    ...(opts.stream ? { stream: opts.stream } : {}),
  });
  return {
    kind: 'nats',
    // No msgId, or a pre-2.2 server without headers: consumers dedupe on the body's id.
    publish: (subject, event, options) => nats.publish(subject, JSON.stringify(event), options?.msgId),
    close: () => nats.close(),
  };
}
