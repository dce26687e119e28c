import { createHash } from 'node:crypto';
import { createTransport, type NodemailerError, type SendMailOptions } from 'nodemailer';
import { ConfigError } from '../../config-error';
import type { Logger } from '../../logger';
import { DEFAULT_SMTP_FROM, type Mailbox, isEmailAddress, parseMailbox } from './addresses';
import { type CrisisEvent, type CrisisNotification, type Notifier, NotifyError, type NotifyErrorCode } from './types';

/**
 * Staff alerting by email over SMTP (nodemailer), for the people on call: one message per notification to every
 * configured address, with a plain-text part and a minimal HTML part.
 *
 * WHAT IT SAYS: the event, the tier, the escalation level and recipient role, the acknowledgement deadline (ISO
 * and human-readable UTC) and the link to the case, copied field by field from the notification. Never journal
 * text, notes, screening details, the user id or anything else about the person: staff open the link and sign in
 * to read the case (docs/architecture.md, principle 6). The subject carries the same allowed fields only.
 *
 * DEDUPE: delivery is at-least-once (a fan-out retry re-sends to every channel). Every copy of one notification
 * has the same `Message-ID` (derived from notificationId), and the notificationId itself in
 * `X-Wellflow-Notification-Id`, so mail clients, list servers and rules can drop the duplicates.
 *
 * ERRORS: refused connections, DNS failures, timeouts, TLS failures and every 4xx reply (greeting, MAIL, RCPT or
 * DATA) throw a retryable NotifyError: the activity retries. A permanent 5xx rejection (of the message, the
 * sender, the login, or of every recipient) throws a non-retryable one: the same message would be refused again,
 * so the workflow records `notify_failed` at once instead of burning the retry budget. When some recipients
 * are accepted and others refused, the alert counts as delivered and the refusals are logged: retrying would
 * re-send to everyone who already has it, every few seconds for up to an hour. Messages name host:port only,
 * never the credentials in SMTP_URL, the addresses or the server's reply text (which may echo them).
 */

export const NOTIFICATION_ID_HEADER = 'X-Wellflow-Notification-Id';
export const EMAIL_EVENT_HEADER = 'X-Wellflow-Event';

/**
 * Each bound is one phase of one attempt. Together they keep an attempt inside the notify activity's 15 s
 * startToCloseTimeout (src/contracts/crisis-case.policy.ts), so the failure is ours to classify and the
 * activity's retry policy (1 s, 2 s, ... 10 s), not this client, decides when to try again.
 */
export const DEFAULT_SMTP_TIMEOUTS = {
  // Opening the connection to the relay: one in the same network or cloud region connects in milliseconds; 5 s
  // without a connection means it is down or partitioned, and waiting longer only eats the acknowledgement
  // window (2 min for imminent cases).
  connectionMs: 5_000,
  // From connect to the 220 banner. Submission relays greet at once; 5 s also tolerates a short deliberate
  // "greet pause" while catching a server that accepts connections but never speaks (a full backlog).
  greetingMs: 5_000,
  // Longest silence between two server replies. The slowest normal reply is the one after the message body
  // (the relay queues it, maybe scans it): a few seconds on a busy relay, so 8 s.
  socketMs: 8_000,
  // Name lookup of the relay host; 5 s, as for connecting.
  dnsMs: 5_000,
  // The whole attempt, whatever the phases add up to (the phase bounds are per phase and per reply): under the
  // activity's 15 s with room to report, so a trickling server cannot make Temporal time the attempt out.
  totalMs: 12_000,
} as const;

export type SmtpTimeouts = { [K in keyof typeof DEFAULT_SMTP_TIMEOUTS]: number };

export interface EmailNotifierOptions {
  /** smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps://... (TLS from the start, port 465). */
  url: string;
  /** Recipients: every address receives every alert (one message, one RCPT per address). */
  to: readonly string[];
  /** `Name <address>` or `address`; default DEFAULT_SMTP_FROM. */
  from?: string;
  logger?: Logger;
  /** Tests shorten these. */
  timeouts?: Partial<SmtpTimeouts>;
}

const EVENT_LABEL: Record<CrisisEvent, string> = {
  'case.opened': 'opened',
  'case.escalated': 'escalated',
  'case.renotified': 're-notified',
  'case.acknowledged': 'acknowledged',
  'case.followup_due': 'follow-up due',
  'case.resolved': 'resolved',
  'case.closed': 'closed',
  'case.reopened': 'reopened',
  'case.erasure_requested': 'person asked to be erased',
};

/** Events that ask someone to act now: sent with high priority. */
const URGENT: ReadonlySet<CrisisEvent> = new Set(['case.opened', 'case.escalated', 'case.renotified', 'case.reopened']);

/** `2026-01-14T14:05:31.000Z` → `14:05 UTC` (minutes cut, not rounded: the shown time is never late). */
function shortUtc(iso: string): string {
  return `${new Date(iso).toISOString().slice(11, 16)} UTC`;
}

/** `2026-01-14T14:05:31.000Z` → `Wed, 14 Jan 2026 14:05:31 UTC`. */
function longUtc(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, 'UTC');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A stable Message-ID for a notification: every copy of one notification (retries, other workers) gets the same
 * one. notificationId (`<caseId>:<runId>:n<seq>`) is not a valid id-left (`:`), so it is mapped to dots.
 */
export function messageIdFor(notificationId: string, domain: string): string {
  const left = notificationId.replace(/[^A-Za-z0-9_-]+/g, '.').replace(/^\.+|\.+$/g, '');
  const id = left ? `wellflow.${left}` : `wellflow.${createHash('sha256').update(notificationId).digest('hex')}`;
  return `<${id}@${domain}>`;
}

/** The email for a notification: subject, text and HTML built from the allowed fields only. */
export function composeAlert(n: CrisisNotification): { subject: string; text: string; html: string } {
  const event = EVENT_LABEL[n.event] ?? n.event;
  const tier = n.tier.toUpperCase();
  const deadline = n.ackDeadline && !Number.isNaN(Date.parse(n.ackDeadline)) ? n.ackDeadline : undefined;
  const subject = `[Wellflow] ${tier} crisis case ${event}${deadline ? ` — acknowledge by ${shortUtc(deadline)}` : ''}`;
  const rows: [string, string][] = [
    ['Event', event],
    ['Tier', tier],
    ['Escalation level', `${n.level} (${n.recipient})`],
  ];
  if (deadline) rows.push(['Acknowledge by', `${longUtc(deadline)} (${new Date(deadline).toISOString()})`]);
  rows.push(['Case', n.link]);
  const intro = deadline
    ? 'A crisis case needs a human. Open the case, sign in, and acknowledge it before the deadline, or it escalates.'
    : 'A crisis case needs attention. Open the case and sign in to see it.';
  const footer = [
    'This alert carries no journal text and no health details: they are only in the case, behind sign-in.',
    `The same alert may arrive more than once; copies have the same notification id (${n.notificationId}).`,
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const text = [intro, '', ...rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`), '', ...footer, ''].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>${escapeHtml(intro)}</p>`,
    '<table>',
    ...rows.map(
      ([k, v]) =>
        `<tr><th align="left">${escapeHtml(k)}</th><td>${
          k === 'Case' ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v)
        }</td></tr>`,
    ),
    '</table>',
    ...footer.map((f) => `<p><small>${escapeHtml(f)}</small></p>`),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** host:port of an SMTP URL, the only part of it that messages and logs may name. */
function hostOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? '465' : '587')}`;
}

export function createEmailNotifier(opts: EmailNotifierOptions): Notifier {
  // Checked at startup, not at the first crisis. The URL itself stays out of every message (credentials).
  let parsed: URL;
  try {
    parsed = new URL(opts.url);
  } catch {
    throw new ConfigError('email notifier: the SMTP URL is not a valid URL');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new ConfigError(`email notifier: unsupported protocol ${parsed.protocol} (use smtp:// or smtps://)`);
  if (!parsed.hostname) throw new ConfigError('email notifier: the SMTP URL has no host');
  const to = [...opts.to];
  if (to.length === 0) throw new ConfigError('email notifier: no recipient addresses');
  const bad = to.find((a) => !isEmailAddress(a));
  if (bad !== undefined) throw new ConfigError(`email notifier: ${JSON.stringify(bad)} is not an email address`);
  const from: Mailbox | undefined = parseMailbox(opts.from ?? DEFAULT_SMTP_FROM);
  if (!from) throw new ConfigError('email notifier: the sender is not an address or "Name <address>"');
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
  const t: SmtpTimeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...opts.timeouts };
  const where = hostOf(parsed);
  const log = opts.logger?.child({ component: 'notify', channel: 'email' });

  // Not pooled: alerts are rare, and an idle pooled connection is one the relay has usually dropped by the next
  // crisis. Query parameters of SMTP_URL (e.g. ?requireTLS=true) are nodemailer options and apply on top.
  const transport = createTransport({
    url: opts.url,
    connectionTimeout: t.connectionMs,
    greetingTimeout: t.greetingMs,
    socketTimeout: t.socketMs,
    dnsTimeout: t.dnsMs,
    // Nothing here attaches files or fetches URLs; refuse it outright.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  const fail = (code: NotifyErrorCode, retryable: boolean, message: string) =>
    new NotifyError(code, `email ${where}: ${message}`, { channel: 'email', retryable });

  return {
    kind: 'email',
    async notify(n: CrisisNotification) {
      const { subject, text, html } = composeAlert(n);
      const signal = AbortSignal.timeout(t.totalMs);
      const message: SendMailOptions = {
        from,
        to,
        subject,
        text,
        html,
        messageId: messageIdFor(n.notificationId, domain),
        priority: URGENT.has(n.event) ? 'high' : 'normal',
        headers: {
          [NOTIFICATION_ID_HEADER]: n.notificationId,
          [EMAIL_EVENT_HEADER]: n.event,
          // RFC 3834: no vacation auto-replies to an alert robot.
          'Auto-Submitted': 'auto-generated',
        },
        signal,
      };
      let info: { accepted?: unknown[]; rejected?: unknown[]; rejectedErrors?: NodemailerError[] };
      try {
        info = await transport.sendMail(message);
      } catch (err) {
        const e = classify(err as NodemailerError, signal, t.totalMs, to.length);
        log?.warn({ code: e.code, retryable: e.retryable, caseId: n.caseId }, 'email notification not accepted');
        throw fail(e.code, e.retryable, e.message);
      }
      const rejected = info.rejected?.length ?? 0;
      if (rejected > 0) {
        // Delivered to the others (see the header comment); the refusals still need a person to look.
        const codes = [...new Set((info.rejectedErrors ?? []).map((r) => r.responseCode).filter(Boolean))];
        log?.warn(
          { caseId: n.caseId, accepted: info.accepted?.length ?? 0, rejected, codes },
          'email notification refused for some recipients',
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** What went wrong, in NotifyError terms; `message` holds no address, credential or server text. */
function classify(
  err: NodemailerError,
  signal: AbortSignal,
  totalMs: number,
  recipients: number,
): { code: NotifyErrorCode; retryable: boolean; message: string } {
  if (signal.aborted || err?.code === 'EABORT' || err?.name === 'AbortError')
    return { code: 'timeout', retryable: true, message: `no answer within ${totalMs} ms` };
  const reply = typeof err?.responseCode === 'number' ? err.responseCode : undefined;
  const command = typeof err?.command === 'string' ? err.command : undefined;
  if (reply !== undefined) {
    // Keep the reply code and its enhanced status (e.g. 5.1.1), never the free text after them.
    const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(err.response ?? '')?.[1];
    const answered = `${command === 'CONN' ? 'greeting' : (command ?? 'server')} answered ${reply}${enhanced ? ` ${enhanced}` : ''}`;
    const scope = err.code === 'EENVELOPE' && command === 'RCPT TO' ? ` for all ${recipients} recipient(s)` : '';
    // nodemailer's `permanent`: 5xx except 503 (wrong session state, fine on a new connection).
    const permanent = err.permanent ?? (reply >= 500 && reply !== 503);
    if (!permanent) return { code: 'unavailable', retryable: true, message: `${answered}${scope} (temporary)` };
    if (err.code === 'EAUTH') return { code: 'unauthorized', retryable: false, message: `${answered} (login refused)` };
    return { code: 'rejected', retryable: false, message: `${answered}${scope} (permanent)` };
  }
  switch (err?.code) {
    case 'ETIMEDOUT':
      return { code: 'timeout', retryable: true, message: `timed out (${err.timeoutType ?? 'no answer'})` };
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
    case 'ETLS':
    case 'EPROTOCOL':
    case 'EPROXY': {
      const cause = err.originalCode && /^E[A-Z]+$/.test(err.originalCode) ? err.originalCode : err.code;
      return { code: 'unavailable', retryable: true, message: `not reachable (${cause})` };
    }
    // Configuration problems that no retry fixes: credentials missing, TLS required but not offered, ...
    case 'EAUTH':
    case 'ENOAUTH':
    case 'EOAUTH2':
      return { code: 'unauthorized', retryable: false, message: `login failed (${err.code})` };
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'EREQUIRETLS':
    case 'ECONFIG':
    case 'EMAXRECIPIENTS':
      return { code: 'rejected', retryable: false, message: `refused (${err.code})` };
    default:
      // Unknown: for a crisis alert a wasted retry is cheaper than a silently dropped one.
      return { code: 'unavailable', retryable: true, message: `failed (${err?.code ?? 'unknown error'})` };
  }
}
