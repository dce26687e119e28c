import { ConfigError } from '../../config-error';
import type { Logger } from '../../logger';
import { createFanoutNotifier } from './fanout';
import { createLogNotifier } from './log';
import { createNatsNotifier } from './nats';
import type { Notifier } from './types';
import { createWebhookNotifier } from './webhook';

export * from './types';
export { createLogNotifier } from './log';
export {
  createWebhookNotifier,
  verifyWebhookSignature,
  signWebhook,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  EVENT_HEADER,
  IDEMPOTENCY_HEADER,
  type WebhookNotifierOptions,
} from './webhook';
export { createNatsNotifier, NATS_MSG_ID_HEADER, type NatsNotifierOptions } from './nats';
export { createFanoutNotifier } from './fanout';

export interface NotifierConfig {
  webhookUrl?: string;
  webhookSecret?: string;
  /** Per-request webhook limit; default DEFAULT_WEBHOOK_TIMEOUT_MS. */
  webhookTimeoutMs?: number;
  natsUrl?: string;
  logger: Logger;
}

/**
 * The log channel always, plus the webhook when webhookUrl is set and NATS when natsUrl is set, behind one
 * fan-out (so receivers must dedupe by notificationId; see createFanoutNotifier). A webhook URL without a
 * secret is a configuration error, thrown at startup: unsigned crisis alerts could be forged by anyone who
 * learns the receiver's address.
 */
export function createNotifierFromConfig(config: NotifierConfig): Notifier {
  const channels: Notifier[] = [createLogNotifier(config.logger)];
  if (config.webhookUrl) {
    if (!config.webhookSecret)
      throw new ConfigError('a webhook URL is configured for crisis notifications but no webhook secret');
    channels.push(
      createWebhookNotifier({
        url: config.webhookUrl,
        secret: config.webhookSecret,
        timeoutMs: config.webhookTimeoutMs,
      }),
    );
  }
  if (config.natsUrl) channels.push(createNatsNotifier({ url: config.natsUrl, logger: config.logger }));
  return createFanoutNotifier(channels);
}
