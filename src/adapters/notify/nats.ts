import { ConfigError } from '../../config-error';
import type { Logger } from '../../logger';
import { type CrisisNotification, type Notifier, NotifyError, natsSubjectFor, serializeNotification } from './types';
import { createNatsPublisher, NATS_MSG_ID_HEADER, type NatsPublishError } from '../nats-publisher';

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

export { NATS_MSG_ID_HEADER };

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
  const nats = createNatsPublisher(url, { name: 'wellflow-notify', timeoutMs: opts.timeoutMs ?? NATS_TIMEOUT_MS });
  return {
    kind: 'nats',
    async notify(n: CrisisNotification) {
      try {
        // Receivers on a pre-2.2 server (no headers) dedupe on the body's notificationId.
        await nats.publish(natsSubjectFor(n.event), serializeNotification(n), n.notificationId);
      } catch (err) {
        // A timed-out flush may still deliver later: the retry then sends a duplicate, which receivers dedupe.
        const e = err as NatsPublishError;
        log.warn({ code: e.code, caseId: n.caseId }, 'nats notification not confirmed');
        throw new NotifyError(e.code ?? 'unavailable', e.message, { channel: 'nats', retryable: true });
      }
    },
    close: () => nats.close(),
  };
}
