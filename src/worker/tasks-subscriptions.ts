import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { WELLFLOW_STREAM } from '../adapters/events/publisher';
import { declareStream } from '../adapters/nats-publisher';
import { SUBSCRIPTION_LEVELS } from '../domain/routines/vocabulary';
import type { Logger } from '../logger';
import { logErr } from '../observability/redact';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { createTaskLifecycle, type TaskLifecycle } from '../temporal/tasks-lifecycle';

/**
 * Consumes `wellflow.subscription.changed` (the billing service's announcement of a person's new level) and
 * applies the level's task cap (src/temporal/tasks-lifecycle.ts: pause the newest active tasks over it,
 * resume cap-paused ones when it rises).
 *
 * Why a durable JetStream consumer, not a core subscription: a core subscription only sees messages sent
 * while it is connected, so a level change announced during a deploy or a worker restart would be lost and
 * the person would keep (or never get back) tasks their level allows. The WELLFLOW stream (`wellflow.>`,
 * declared here too when missing) keeps the message; the durable consumer `wellflow-routines-subscriptions`
 * remembers what was acknowledged, so each change is applied after any outage, and several worker processes
 * share one consumer (each message goes to one of them). A message is acknowledged after it is applied;
 * applying is idempotent (the stored level keeps the newest `time`, pausing/resuming converges), so a
 * redelivery is harmless.
 */
export const SUBSCRIPTION_SUBJECT = 'wellflow.subscription.changed';
const DURABLE = 'wellflow-routines-subscriptions';
/** A failed apply (database or Temporal down) is retried after this delay, for as long as it fails. */
const RETRY_DELAY_MS = 5_000;
/** Unacknowledged for this long (a worker died mid-apply): redelivered to another worker. */
const ACK_WAIT_MS = 60_000;

const SubscriptionChanged = z.object({
  id: z.string().min(1).max(250),
  type: z.literal('subscription.changed'),
  time: z.iso.datetime({ offset: true }),
  data: z.object({
    userId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.@:-]+$/),
    level: z.enum(SUBSCRIPTION_LEVELS),
  }),
});

export interface SubscriptionConsumer {
  stop(): Promise<void>;
}

export function startSubscriptionConsumer(opts: {
  natsUrl: string;
  lifecycle: TaskLifecycle;
  logger: Logger;
}): SubscriptionConsumer {
  const log = opts.logger.child({ component: 'subscription-consumer' });
  let stopped = false;
  let nc: NatsConnection | undefined;
  let stopMessages: (() => void) | undefined;

  async function ensureConsumer(conn: NatsConnection) {
    await declareStream(conn, WELLFLOW_STREAM, 5_000);
    const jsm = await jetstreamManager(conn);
    try {
      await jsm.consumers.info(WELLFLOW_STREAM.name, DURABLE);
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || err.status !== 404) throw err;
      await jsm.consumers.add(WELLFLOW_STREAM.name, {
        durable_name: DURABLE,
        filter_subject: SUBSCRIPTION_SUBJECT,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(ACK_WAIT_MS),
      });
    }
  }

  async function runOnce() {
    nc = await connect({ servers: opts.natsUrl, name: 'wellflow-subscriptions', maxReconnectAttempts: -1 });
    await ensureConsumer(nc);
    const consumer = await jetstream(nc).consumers.get(WELLFLOW_STREAM.name, DURABLE);
    const messages = await consumer.consume({ max_messages: 20 });
    stopMessages = () => messages.stop();
    log.info({ durable: DURABLE }, 'consuming subscription changes');
    for await (const m of messages) {
      const parsed = SubscriptionChanged.safeParse(safeJson(m.data));
      if (!parsed.success) {
        log.warn({ seq: m.seq }, 'malformed subscription.changed dropped');
        m.term();
        continue;
      }
      const { data, time } = parsed.data;
      try {
        await opts.lifecycle.applyLevel(data.userId, data.level, new Date(time));
        m.ack();
      } catch (err) {
        log.warn({ err: logErr(err), userId: data.userId }, 'subscription change not applied yet; retrying');
        m.nak(RETRY_DELAY_MS);
      }
    }
  }

  const done = (async () => {
    while (!stopped) {
      try {
        await runOnce();
      } catch (err) {
        if (!stopped) log.warn({ err: logErr(err) }, 'subscription consumer down; reconnecting');
      }
      await nc?.close().catch(() => {});
      if (!stopped) await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    }
  })();

  return {
    async stop() {
      stopped = true;
      stopMessages?.();
      await nc?.close().catch(() => {});
      await done;
    },
  };
}

/** The consumer as a worker process runs it: task events it causes are queued in the outbox with their rows. */
export function startTaskSubscriptionConsumer(deps: {
  natsUrl: string;
  database: Database;
  temporal: Client;
  logger: Logger;
}): SubscriptionConsumer {
  const lifecycle = createTaskLifecycle({ database: deps.database, temporal: deps.temporal, logger: deps.logger });
  return startSubscriptionConsumer({ natsUrl: deps.natsUrl, lifecycle, logger: deps.logger });
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
