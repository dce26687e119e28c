import type { Logger } from '../../logger';

/**
 * Which channels besides the log carry crisis alerts to a person, from the settings alone (no I/O): the same
 * answer for the start-up warning and the `crisis_alerts` health check. Names hosts only, never the
 * credentials a URL may hold or the recipients' addresses.
 */

export interface CrisisAlertSettings {
  SMTP_URL?: string | undefined;
  CRISIS_EMAIL_TO?: readonly string[] | undefined;
  CRISIS_WEBHOOK_URL?: string | undefined;
  NATS_URL?: string | undefined;
}

export const LOG_ONLY_DETAIL =
  'crisis alerts reach only the log: set SMTP_URL and CRISIS_EMAIL_TO (or CRISIS_WEBHOOK_URL)';

const hostOf = (url: string) => {
  try {
    return new URL(url).host || 'unknown host';
  } catch {
    return 'unknown host';
  }
};

/** e.g. ['email to 2 address(es) via mail.example:465', 'webhook to hooks.example', 'NATS at nats:4222']. */
export function crisisAlertChannels(s: CrisisAlertSettings): string[] {
  const out: string[] = [];
  if (s.SMTP_URL && s.CRISIS_EMAIL_TO?.length)
    out.push(`email to ${s.CRISIS_EMAIL_TO.length} address(es) via ${hostOf(s.SMTP_URL)}`);
  if (s.CRISIS_WEBHOOK_URL) out.push(`webhook to ${hostOf(s.CRISIS_WEBHOOK_URL)}`);
  if (s.NATS_URL) out.push(`NATS at ${hostOf(s.NATS_URL)}`);
  return out;
}

/**
 * At start: a loud warning when crisis alerts would reach nobody but the log. Returns whether it warned. The
 * caller (startStack) runs once per process.
 */
export function warnIfCrisisAlertsOnlyLogged(s: CrisisAlertSettings, logger: Logger): boolean {
  if (crisisAlertChannels(s).length > 0) return false;
  logger.warn({ component: 'notify', channels: ['log'] }, `NO STAFF ALERT CHANNEL: ${LOG_ONLY_DETAIL}`);
  return true;
}
