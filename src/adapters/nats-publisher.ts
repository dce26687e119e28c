import { jetstream, jetstreamManager, JetStreamApiError, StorageType } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';

export const NATS_MSG_ID_HEADER = 'Nats-Msg-Id';

/** A publish that failed: `timeout` (no confirmation in time) or `unavailable`. Messages name host:port only. */
export class NatsPublishError extends Error {
  constructor(
    readonly code: 'timeout' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'NatsPublishError';
  }
}

export interface NatsPublisher {
  /** `host:port`, for messages (never the credentials the URL may hold). */
  readonly server: string;
  /** Resolves once a flush round-trip confirms the server has the message; throws NatsPublishError otherwise. */
  publish(subject: string, body: string, msgId?: string): Promise<void>;
  close(): Promise<void>;
}

/** A JetStream stream to publish into (with acknowledgement) instead of core NATS. */
export interface DurableStream {
  name: string;
  subjects: string[];
  /** How long the stream keeps messages. */
  maxAgeMs: number;
  /** The window in which a repeated `Nats-Msg-Id` is dropped. */
  duplicateWindowMs: number;
}

/**
 * Declares the stream when it does not exist (idempotent; an existing stream's settings are the operator's
 * and are left alone). File storage: a NATS restart keeps what was acknowledged.
 */
export async function declareStream(nc: NatsConnection, stream: DurableStream, timeoutMs: number): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
  try {
    await jsm.streams.info(stream.name);
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || err.status !== 404) throw err; // 404: no such stream yet
    await jsm.streams.add({
      name: stream.name,
      subjects: stream.subjects,
      storage: StorageType.File,
      max_age: nanos(stream.maxAgeMs),
      duplicate_window: nanos(stream.duplicateWindowMs),
    });
  }
}

/**
 * A lazily opened NATS connection for publishing: the one implementation of connect, `Nats-Msg-Id`, bounded
 * flush and drop-on-failure that the event publisher and the staff notifier each use (each creates its own
 * publisher, so each holds its own connection, named for it in the server's monitoring). A publish counts once a flush round-trip confirms it (core NATS: the server has it). The flush
 * is bounded by `timeoutMs`, because while the client silently reconnects it would otherwise wait for
 * minutes; a connection that could not confirm is dropped, so the caller's retry opens a fresh one instead
 * of waiting for the client's ping-based stale detection. `msgId` goes into `Nats-Msg-Id`, so a JetStream
 * stream capturing the subject drops duplicates; a pre-2.2 server without headers gets the body only. With
 * `stream`, publishes go to JetStream and count once the stream acknowledges them.
 */
export function createNatsPublisher(
  natsUrl: URL,
  opts: { name: string; timeoutMs: number; stream?: DurableStream },
): NatsPublisher {
  const server = `${natsUrl.hostname}:${natsUrl.port || 4222}`;
  const fail = (code: NatsPublishError['code'], what: string) =>
    new NatsPublishError(code, `NATS at ${server}: ${what}`);
  let connection: Promise<NatsConnection> | undefined;
  const conn = () => {
    connection ??= connect({
      servers: server,
      ...(natsUrl.username
        ? { user: decodeURIComponent(natsUrl.username), pass: decodeURIComponent(natsUrl.password) }
        : {}),
      timeout: opts.timeoutMs,
      name: opts.name,
    }).catch((err: unknown) => {
      connection = undefined; // the next publish tries again
      throw fail('unavailable', `not reachable (${(err as Error).message})`);
    });
    return connection;
  };
  const discard = async (nc: NatsConnection) => {
    if (connection && (await connection.catch(() => undefined)) === nc) connection = undefined;
    void nc.close().catch(() => {});
  };

  const declared = new WeakSet<NatsConnection>();
  /** JetStream: the stream is declared once per connection, and a publish counts once its PubAck arrives. */
  const publishDurably = async (
    nc: NatsConnection,
    stream: DurableStream,
    subject: string,
    body: string,
    msgId?: string,
  ) => {
    try {
      if (!declared.has(nc)) {
        await declareStream(nc, stream, opts.timeoutMs);
        declared.add(nc);
      }
      await jetstream(nc, { timeout: opts.timeoutMs }).publish(subject, body, {
        ...(msgId ? { msgID: msgId } : {}),
        timeout: opts.timeoutMs,
      });
    } catch (err) {
      await discard(nc);
      throw fail('unavailable', `JetStream publish not acknowledged (${(err as Error).message})`);
    }
  };

  return {
    server,
    async publish(subject, body, msgId) {
      let nc = await conn();
      if (nc.isClosed()) {
        connection = undefined;
        nc = await conn();
      }
      if (opts.stream) return publishDurably(nc, opts.stream, subject, body, msgId);
      try {
        if (msgId && nc.info?.headers) {
          const h = natsHeaders();
          h.set(NATS_MSG_ID_HEADER, msgId);
          nc.publish(subject, body, { headers: h });
        } else {
          nc.publish(subject, body);
        }
      } catch (err) {
        throw fail('unavailable', `publish failed (${(err as Error).message})`);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(fail('timeout', `publish not confirmed within ${opts.timeoutMs} ms`)),
          opts.timeoutMs,
        );
      });
      try {
        await Promise.race([nc.flush(), timeout]);
      } catch (err) {
        await discard(nc);
        throw err instanceof NatsPublishError ? err : fail('unavailable', `flush failed (${(err as Error).message})`);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      const c = connection;
      connection = undefined;
      const nc = c && (await c.catch(() => undefined));
      if (!nc) return;
      // Drain delivers what is buffered but needs a live server: bounded, so shutdown never hangs on a dead NATS.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        nc.drain().catch(() => {}),
        new Promise<void>((r) => (timer = setTimeout(r, opts.timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!nc.isClosed()) await nc.close().catch(() => {});
    },
  };
}
