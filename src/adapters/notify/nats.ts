import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { ConfigError } from '../../config-error';
import type { Logger } from '../../logger';
import { type CrisisNotification, type Notifier, NotifyError, natsSubjectFor, serializeNotification } from './types';
import { closeNatsConnection } from '../nats-close';

/**
 * Staff alerting over NATS: the notification (allowed fields only) is published as JSON to
 * `wellflow.crisis.<event without "case.">`, e.g. `wellflow.crisis.escalated`, with a `Nats-Msg-Id:
 * <notificationId>` header when the server supports headers, so a JetStream stream capturing these subjects
 * drops duplicates within its duplicate window. Plain subscribers must dedupe by notificationId themselves.
 *
 * A publish counts as delivered once a flush round-trip confirms the server has it (core NATS: the server,
 * not necessarily a subscriber). One connection is opened on first use and reused; a failed or closed one is
 * replaced on the next notify. Every failure is a retryable NotifyError. Messages name host:port only, never
 * the credentials in the URL.
 */

export const NATS_MSG_ID_HEADER = 'Nats-Msg-Id';

// A notification is one small message: if NATS has not completed a connect or a flush round-trip in 5 s it
// is down or partitioned, and the activity's retry policy (not this client) decides when to try again. It
// also bounds how long a flush can wait while the client is silently reconnecting.
const NATS_TIMEOUT_MS = 5_000;

export interface NatsNotifierOptions {
  url: string;
  logger: Logger;
  /** Connect and flush limit; default 5 s. */
  timeoutMs?: number;
}

export function createNatsNotifier(opts: NatsNotifierOptions): Notifier {
  const log = opts.logger.child({ component: 'notify', channel: 'nats' });
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new ConfigError('nats notifier: the NATS URL is not a valid URL'); // the URL may hold credentials
  }
  const server = `${url.hostname}:${url.port || 4222}`;
  const timeoutMs = opts.timeoutMs ?? NATS_TIMEOUT_MS;
  const fail = (code: 'timeout' | 'unavailable', message: string) =>
    new NotifyError(code, `nats ${server}: ${message}`, { channel: 'nats', retryable: true });

  let connection: Promise<NatsConnection> | undefined;
  const conn = () => {
    connection ??= connect({
      servers: server,
      ...(url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : {}),
      timeout: timeoutMs,
      name: 'wellflow-notify',
    }).catch((err: unknown) => {
      connection = undefined; // the next notify tries again
      throw fail('unavailable', `not reachable (${(err as Error).message})`);
    });
    return connection;
  };

  return {
    kind: 'nats',
    async notify(n: CrisisNotification) {
      let nc = await conn();
      if (nc.isClosed()) {
        log.info('connection was closed; reconnecting');
        connection = undefined;
        nc = await conn();
      }
      const subject = natsSubjectFor(n.event);
      const body = serializeNotification(n);
      try {
        if (nc.info?.headers) {
          const h = natsHeaders();
          h.set(NATS_MSG_ID_HEADER, n.notificationId);
          nc.publish(subject, body, { headers: h });
        } else {
          nc.publish(subject, body); // pre-2.2 server: no headers; receivers dedupe on the body's notificationId
        }
      } catch (err) {
        throw fail('unavailable', `publish failed (${(err as Error).message})`);
      }
      // The flush round-trip is the delivery confirmation. A timed-out flush may still deliver later (the
      // client buffers while reconnecting): the retry then sends a duplicate, which receivers dedupe.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(fail('timeout', `flush not confirmed within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([nc.flush(), timeout]);
      } catch (err) {
        // Do not reuse a connection that could not confirm: the next attempt (the activity's retry) gets a
        // fresh one instead of waiting for the client's ping-based stale detection (minutes).
        if (connection && (await connection.catch(() => undefined)) === nc) connection = undefined;
        void nc.close().catch(() => {});
        if (err instanceof NotifyError) throw err;
        throw fail('unavailable', `flush failed (${(err as Error).message})`);
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
