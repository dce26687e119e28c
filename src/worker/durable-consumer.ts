import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { WELLFLOW_STREAM } from '../adapters/events/publisher';
import { declareStream } from '../adapters/nats-publisher';
import type { Logger } from '../logger';
import { logErr } from '../observability/redact';

/** A failed apply (database or Temporal down) is retried after this delay, for as long as it fails. */
const RETRY_DELAY_MS = 5_000;
/** Unacknowledged for this long (a worker died mid-apply): redelivered to another worker. */
const ACK_WAIT_MS = 60_000;

export interface DurableConsumer {
  stop(): Promise<void>;
}

/**
 * A durable JetStream consumer on the WELLFLOW stream for one subject, at-least-once: a message is parsed with
 * `schema` (malformed: terminated, never redelivered), handed to `apply`, and acknowledged only after `apply`
 * resolved; a failed apply is redelivered after RETRY_DELAY_MS. `apply` must be idempotent. The durable name
 * makes the server remember what was acknowledged, so messages sent while every worker was down are applied
 * later, and several worker processes share the consumer (each message goes to one of them). Used by the
 * subscription.changed consumer (src/worker/tasks-subscriptions.ts) and the user.deleted consumer.
 */
export function startDurableConsumer<T>(opts: {
  natsUrl: string;
  durable: string;
  subject: string;
  schema: z.ZodType<T>;
  apply: (message: T) => Promise<void>;
  logger: Logger;
}): DurableConsumer {
  const log = opts.logger.child({ component: opts.durable });
  let stopped = false;
  let nc: NatsConnection | undefined;
  let stopMessages: (() => void) | undefined;

  async function ensureConsumer(conn: NatsConnection) {
    await declareStream(conn, WELLFLOW_STREAM, 5_000);
    const jsm = await jetstreamManager(conn);
    try {
      const info = await jsm.consumers.info(WELLFLOW_STREAM.name, opts.durable);
      // The subject was reconfigured: the durable keeps its place in the stream and takes the new filter.
      if (info.config.filter_subject !== opts.subject) {
        await jsm.consumers.update(WELLFLOW_STREAM.name, opts.durable, { filter_subject: opts.subject });
        log.info({ from: info.config.filter_subject, to: opts.subject }, 'consumer subject changed');
      }
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || err.status !== 404) throw err;
      await jsm.consumers.add(WELLFLOW_STREAM.name, {
        durable_name: opts.durable,
        filter_subject: opts.subject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(ACK_WAIT_MS),
      });
    }
  }

  async function runOnce() {
    nc = await connect({ servers: opts.natsUrl, name: opts.durable, maxReconnectAttempts: -1 });
    await ensureConsumer(nc);
    const consumer = await jetstream(nc).consumers.get(WELLFLOW_STREAM.name, opts.durable);
    const messages = await consumer.consume({ max_messages: 20 });
    stopMessages = () => messages.stop();
    log.info({ subject: opts.subject }, 'consuming');
    for await (const m of messages) {
      const parsed = opts.schema.safeParse(safeJson(m.data));
      if (!parsed.success) {
        log.warn({ seq: m.seq }, 'malformed message dropped');
        m.term();
        continue;
      }
      try {
        await opts.apply(parsed.data);
        m.ack();
      } catch (err) {
        log.warn({ err: logErr(err), seq: m.seq }, 'message not applied yet; retrying');
        m.nak(RETRY_DELAY_MS);
      }
    }
  }

  const done = (async () => {
    while (!stopped) {
      try {
        await runOnce();
      } catch (err) {
        if (!stopped) log.warn({ err: logErr(err) }, 'consumer down; reconnecting');
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

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
