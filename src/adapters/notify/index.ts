import { ConfigError } from '../../config-error';
import type { Logger } from '../../logger';
import { createEmailNotifier } from './email';
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
export {
  createEmailNotifier,
  composeAlert,
  messageIdFor,
  DEFAULT_SMTP_TIMEOUTS,
  NOTIFICATION_ID_HEADER,
  EMAIL_EVENT_HEADER,
  type EmailNotifierOptions,
  type SmtpTimeouts,
} from './email';
export { DEFAULT_SMTP_FROM, isEmailAddress, parseMailbox, splitAddressList, type Mailbox } from './addresses';
export {
  crisisAlertChannels,
  warnIfCrisisAlertsOnlyLogged,
  LOG_ONLY_DETAIL,
  type CrisisAlertSettings,
} from './channels';

export interface NotifierConfig {
  webhookUrl?: string;
  webhookSecret?: string;
  /** Per-request webhook limit; default DEFAULT_WEBHOOK_TIMEOUT_MS. */
  webhookTimeoutMs?: number;
  natsUrl?: string;
  /** SMTP relay (smtp:// or smtps://); email goes out when this and emailTo are set. */
  smtpUrl?: string;
  emailTo?: readonly string[];
  /** Sender, `Name <address>`; default DEFAULT_SMTP_FROM. */
  smtpFrom?: string;
  logger: Logger;
}

/**
 * The log channel always, plus the webhook when webhookUrl is set, NATS when natsUrl is set and email when
 * smtpUrl and emailTo are set, behind one fan-out (so receivers must dedupe by notificationId; see
 * createFanoutNotifier). A webhook URL without a secret is a configuration error, thrown at startup: unsigned
 * crisis alerts could be forged by anyone who learns the receiver's address. So is an SMTP URL without
 * recipients, or recipients without an SMTP URL (src/config.ts says so first, naming the variable).
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
  const emailTo = config.emailTo ?? [];
  if (config.smtpUrl && emailTo.length === 0)
    throw new ConfigError('an SMTP URL is configured for crisis notifications but no recipient addresses');
  if (!config.smtpUrl && emailTo.length > 0)
    throw new ConfigError('recipient addresses are configured for crisis notifications but no SMTP URL');
  if (config.smtpUrl)
    channels.push(
      createEmailNotifier({ url: config.smtpUrl, to: emailTo, from: config.smtpFrom, logger: config.logger }),
    );
  return createFanoutNotifier(channels);
}
