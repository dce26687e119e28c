import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../logger';

/**
 * Domain events for other services ("meal analysed", "case opened"). Events carry ids and statuses only,
 * never health data: subscribers fetch details through the API with their own authorisation.
 */
export interface DomainEvent {
  type: string;
  [field: string]: string | number | boolean | null;
}

export interface EventPublisher {
  readonly kind: 'nats' | 'log';
  publish(subject: string, event: DomainEvent): Promise<void>;
  close(): Promise<void>;
}

// A publish is one small message: if NATS has not answered a connect or flush in 5 s it is down, and the
// activity's retry policy (not this client) decides whether to try again.
const NATS_TIMEOUT_MS = 5_000;

/** NATS when NATS_URL is set (one lazily opened, shared connection); otherwise events go to the log. */
export function createEventPublisher(natsUrl: string | undefined, logger: Logger): EventPublisher {
  const log = logger.child({ component: 'events' });
  if (!natsUrl) {
    return {
      kind: 'log',
      async publish(subject, event) {
        log.info({ subject, event }, 'event');
      },
      async close() {},
    };
  }
  const url = new URL(natsUrl);
  let connection: Promise<NatsConnection> | undefined;
  const conn = () => {
    connection ??= connect({
      servers: `${url.hostname}:${url.port || 4222}`,
      ...(url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : {}),
      timeout: NATS_TIMEOUT_MS,
      name: 'wellflow',
    }).catch((err: unknown) => {
      connection = undefined; // the next publish tries again
      throw new Error(`NATS is not reachable: ${(err as Error).message}`);
    });
    return connection;
  };
  return {
    kind: 'nats',
    async publish(subject, event) {
      const nc = await conn();
      nc.publish(subject, JSON.stringify(event));
      await nc.flush(); // the server has it: the activity can report success
    },
    async close() {
      const c = connection;
      connection = undefined;
      if (c) await (await c.catch(() => undefined))?.drain().catch(() => {});
    },
  };
}
