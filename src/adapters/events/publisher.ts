import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../logger';
import { type DomainEnvelope, subjectFor } from './schema';
import { closeNatsConnection } from '../nats-close';

/**
 * Events for other services. Domain events (meal analysed, insight generated, crisis case changed) are
 * CloudEvents envelopes built by `buildDomainEvent` (./schema.ts, the documented contract, docs/events.md)
 * and sent with `publishDomainEvent`. Everything carries ids and statuses only, never health data:
 * subscribers fetch details through the API with their own authorisation.
 */
export type DomainEvent = DomainEnvelope;

export interface PublishOptions {
  /** Sent as the `Nats-Msg-Id` header: a JetStream stream capturing the subject drops duplicates by it. */
  msgId?: string;
}

export interface EventPublisher {
  readonly kind: 'nats' | 'log';
  /** Resolves once the server has the message (a flush round-trip); throws when it cannot confirm. */
  publish(subject: string, event: DomainEvent, options?: PublishOptions): Promise<void>;
  close(): Promise<void>;
}

export const NATS_MSG_ID_HEADER = 'Nats-Msg-Id';

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

/** NATS when NATS_URL is set (one lazily opened, shared connection); otherwise events go to the log. */
export function createEventPublisher(natsUrl: string | undefined, logger: Logger, opts: { timeoutMs?: number } = {}): EventPublisher {
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
  const url = new URL(natsUrl);
  const server = `${url.hostname}:${url.port || 4222}`;
  const timeoutMs = opts.timeoutMs ?? NATS_TIMEOUT_MS;
  let connection: Promise<NatsConnection> | undefined;
  const conn = () => {
    connection ??= connect({
      servers: server,
      ...(url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : {}),
      timeout: timeoutMs,
      name: 'wellflow',
    }).catch((err: unknown) => {
      connection = undefined; // the next publish tries again
      // host:port only: the URL may hold credentials
      throw new Error(`NATS is not reachable at ${server}: ${(err as Error).message}`);
    });
    return connection;
  };
  /** Forget a connection that failed us, so the next attempt (the activity's retry) opens a fresh one. */
  const discard = async (nc: NatsConnection) => {
    if (connection && (await connection.catch(() => undefined)) === nc) connection = undefined;
    void nc.close().catch(() => {});
  };
  return {
    kind: 'nats',
    async publish(subject, event, options) {
      let nc = await conn();
      if (nc.isClosed()) {
        connection = undefined;
        nc = await conn();
      }
      const body = JSON.stringify(event);
      if (options?.msgId && nc.info?.headers) {
        const h = natsHeaders();
        h.set(NATS_MSG_ID_HEADER, options.msgId);
        nc.publish(subject, body, { headers: h });
      } else {
        nc.publish(subject, body); // no id, or a pre-2.2 server without headers: consumers dedupe on the body's id
      }
      // The server has it once a flush round-trip completes: only then may the activity report success.
      // Bounded, because while the client silently reconnects a flush would otherwise wait for minutes.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`NATS at ${server} did not confirm the publish within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([nc.flush(), timeout]);
      } catch (err) {
        await discard(nc);
        throw err instanceof Error && err.message.startsWith('NATS') ? err : new Error(`NATS publish to ${server} failed: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      const c = connection;
      connection = undefined;
      await closeNatsConnection(c, timeoutMs);
    },
  };
}
