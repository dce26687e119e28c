import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOG_ONLY_DETAIL,
  composeAlert,
  createEmailNotifier,
  createNotifierFromConfig,
  messageIdFor,
  warnIfCrisisAlertsOnlyLogged,
} from '../../src/adapters/notify';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/config-error';
import { createLogger } from '../../src/logger';
import { HealthChecker } from '../../src/observability/health-checks';
import { FROM, type Smtp, TO, startSmtp } from '../support/alert-smtp-server';
import { logLineSink } from '../support/log-lines';
import { sampleNotification } from '../support/notifications';
import { failure } from '../support/notify-failure';
import { freePort } from '../support/ports';

/**
 * The email channel alone against a REAL SMTP server (smtp-server, the server half of nodemailer; what arrives is
 * parsed with mailparser): errors, timeouts, credentials, partial delivery, the fan-out beside the log; and the
 * crisis_alerts health check and start-up warning that say whether alerts reach anyone but the log.
 * A high-tier case through the whole stack: email-notifier-whole-stack.test.ts.
 */

/** A logger whose lines the test can read. */
function capturingLogger() {
  const { stream, lines } = logLineSink();
  return { logger: createLogger('info', stream), lines };
}

const notification = sampleNotification;

describe('email notifier against a real SMTP server', () => {
  let smtp: Smtp;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const notifier = (over: { url?: string; to?: string[]; timeouts?: Record<string, number> } = {}) =>
    createEmailNotifier({ url: over.url ?? smtp.url, to: over.to ?? TO, from: FROM, timeouts: over.timeouts });

  it('sends one message to every address: allowed fields only, stable Message-ID, text and HTML parts', async () => {
    const n = Object.assign(notification(), { text: 'JOURNAL-TEXT-MUST-NOT-LEAK', note: 'JOURNAL-TEXT-MUST-NOT-LEAK' });
    const email = notifier();
    await email.notify(n);
    await email.notify(n); // a retry: the same Message-ID, so mail clients show it once
    await email.close();
    const got = smtp.received.filter((r) => r.mail.headers.get('x-wellflow-notification-id') === n.notificationId);
    expect(got).toHaveLength(2);
    const { mail, raw, rcptTo, mailFrom } = got[0]!;
    expect(rcptTo.sort()).toEqual([...TO].sort());
    expect(mailFrom).toBe('alerts@wellflow.test');
    expect(mail.from?.value[0]).toMatchObject({ name: 'Wellflow test alerts', address: 'alerts@wellflow.test' });
    expect(mail.subject).toBe('[Wellflow] HIGH crisis case escalated — acknowledge by 14:05 UTC');
    expect(mail.text).toContain('Tier:');
    expect(mail.text).toContain('1 (on-call-clinician)');
    expect(mail.text).toContain('Tue, 01 Jan 2030 14:05:31 UTC (2030-01-01T14:05:31.000Z)');
    expect(mail.text).toContain(n.link);
    expect(mail.html).toContain(`<a href="${n.link}">`);
    expect(mail.messageId).toBe(messageIdFor(n.notificationId, 'wellflow.test'));
    expect(got[1]!.mail.messageId).toBe(mail.messageId);
    expect(mail.headers.get('x-wellflow-event')).toBe('case.escalated');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('priority')).toBe('high');
    for (const where of [raw, mail.text ?? '', String(mail.html), mail.subject ?? '']) {
      expect(where).not.toContain('JOURNAL-TEXT-MUST-NOT-LEAK');
      expect(where).not.toContain(n.userId);
    }
  });

  it('says "follow-up due" without a deadline when the notification has none', () => {
    const { subject, text } = composeAlert(
      notification({ event: 'case.followup_due', tier: 'moderate', ackDeadline: undefined }),
    );
    expect(subject).toBe('[Wellflow] MODERATE crisis case follow-up due');
    expect(text).not.toContain('Acknowledge by');
  });

  it('logs in with the credentials in the URL and never names them in errors', async () => {
    const authed = await startSmtp({ auth: { user: 'alerts', pass: 's3cret-pass' } });
    try {
      const ok = createEmailNotifier({ url: `smtp://alerts:s3cret-pass@127.0.0.1:${authed.port}`, to: TO, from: FROM });
      await ok.notify(notification());
      await ok.close();
      expect(authed.received[0]!.user).toBe('alerts');
      const wrong = createEmailNotifier({ url: `smtp://alerts:wrong-pass@127.0.0.1:${authed.port}`, to: TO });
      const err = await failure(wrong.notify(notification()));
      expect(err).toMatchObject({ channel: 'email', code: 'unauthorized', retryable: false });
      expect(err.message).toMatch(/535/);
      expect(err.message).not.toMatch(/wrong-pass|alerts:/);
    } finally {
      await authed.close();
    }
  });

  it('refused connections and silent servers are retryable, with bounded timeouts', async () => {
    const closed = await freePort();
    const refused = await failure(
      notifier({ url: `smtp://user:pw-in-url@127.0.0.1:${closed}` }).notify(notification()),
    );
    expect(refused).toMatchObject({ channel: 'email', code: 'unavailable', retryable: true });
    expect(refused.message).toContain(`127.0.0.1:${closed}`);
    expect(refused.message).toMatch(/ECONNREFUSED/);
    expect(refused.message).not.toContain('pw-in-url');

    // Accepts the connection, never says hello.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const started = Date.now();
      const timedOut = await failure(
        notifier({ url: `smtp://127.0.0.1:${port}`, timeouts: { greetingMs: 300 } }).notify(notification()),
      );
      expect(timedOut).toMatchObject({ code: 'timeout', retryable: true });
      expect(Date.now() - started).toBeLessThan(3_000);
      // The overall bound holds whatever the phase bounds say.
      const capped = await failure(
        notifier({ url: `smtp://127.0.0.1:${port}`, timeouts: { greetingMs: 60_000, totalMs: 400 } }).notify(
          notification(),
        ),
      );
      expect(capped).toMatchObject({ code: 'timeout', retryable: true });
      expect(capped.message).toMatch(/within 400 ms/);
    } finally {
      silent.close();
    }
  });

  it('4xx replies (greeting, RCPT, DATA) are retryable; 5xx for every recipient is not', async () => {
    smtp.plan.refuseConnections = 1;
    const greeting = await failure(notifier().notify(notification()));
    expect(greeting).toMatchObject({ code: 'unavailable', retryable: true });
    expect(greeting.message).toMatch(/greeting answered 421 4\.3\.2/);

    smtp.plan.deferSessions = 1;
    const rcpt = await failure(notifier().notify(notification()));
    expect(rcpt).toMatchObject({ code: 'unavailable', retryable: true });
    expect(rcpt.message).toMatch(/RCPT TO answered 451/);

    smtp.plan.deferData = 1;
    const data = await failure(notifier().notify(notification()));
    expect(data).toMatchObject({ code: 'unavailable', retryable: true });
    expect(data.message).toMatch(/451/);

    smtp.plan.rejectRcpt = () => true;
    try {
      const rejected = await failure(notifier().notify(notification()));
      expect(rejected).toMatchObject({ channel: 'email', code: 'rejected', retryable: false });
      expect(rejected.message).toMatch(/RCPT TO answered 550 5\.1\.1 for all 2 recipient\(s\) \(permanent\)/);
      for (const a of TO) expect(rejected.message).not.toContain(a);
    } finally {
      smtp.plan.rejectRcpt = () => false;
    }
  });

  it('counts a message accepted for some recipients as delivered and logs the refusals', async () => {
    const { logger, lines } = capturingLogger();
    smtp.plan.rejectRcpt = (a) => a === TO[1];
    try {
      const n = notification();
      await createEmailNotifier({ url: smtp.url, to: TO, from: FROM, logger }).notify(n);
      const got = smtp.received.filter((r) => r.mail.headers.get('x-wellflow-notification-id') === n.notificationId);
      expect(got.map((r) => r.rcptTo)).toEqual([[TO[0]]]);
      expect(lines.find((l) => l.msg === 'email notification refused for some recipients')).toMatchObject({
        accepted: 1,
        rejected: 1,
        codes: [550],
      });
    } finally {
      smtp.plan.rejectRcpt = () => false;
    }
  });

  it('fans out beside the log: a permanent rejection makes the fan-out non-retryable, naming the email channel', async () => {
    const quiet = createLogger('silent');
    expect(() => createNotifierFromConfig({ logger: quiet, smtpUrl: smtp.url })).toThrow(ConfigError);
    expect(() => createNotifierFromConfig({ logger: quiet, emailTo: TO })).toThrow(ConfigError);
    const fanout = createNotifierFromConfig({ logger: quiet, smtpUrl: smtp.url, emailTo: TO, smtpFrom: FROM });
    smtp.plan.rejectRcpt = () => true;
    try {
      const err = await failure(fanout.notify(notification()));
      expect(err).toMatchObject({ code: 'partial_failure', retryable: false, delivered: ['log'] });
      expect(err.failures).toMatchObject([{ channel: 'email', code: 'rejected', retryable: false }]);
    } finally {
      smtp.plan.rejectRcpt = () => false;
      await fanout.close();
    }
  });
});

describe('crisis_alerts health check and start-up warning', () => {
  const check = (env: Record<string, string>) =>
    new HealthChecker({ config: loadConfig(env), database: undefined as never, temporal: undefined as never }).run(
      'crisis_alerts',
    );

  it('is DEGRADED when crisis alerts reach only the log', async () => {
    const r = await check({});
    expect(r.status).toBe('DEGRADED');
    expect(r.detail).toBe('crisis alerts reach only the log: set SMTP_URL and CRISIS_EMAIL_TO (or CRISIS_WEBHOOK_URL)');
    expect(r.detail).toBe(LOG_ONLY_DETAIL);
  });

  it('is HEALTHY with email, a webhook or NATS, naming hosts but no credentials or addresses', async () => {
    const email = await check({ SMTP_URL: 'smtps://u:topsecret@mail.example:465', CRISIS_EMAIL_TO: TO.join(',') });
    expect(email).toMatchObject({ status: 'HEALTHY', detail: 'log, email to 2 address(es) via mail.example:465' });
    expect(email.detail).not.toMatch(/topsecret|oncall/);
    const hook = await check({ CRISIS_WEBHOOK_URL: 'https://hooks.example/x', CRISIS_WEBHOOK_SECRET: 's'.repeat(16) });
    expect(hook).toMatchObject({ status: 'HEALTHY', detail: 'log, webhook to hooks.example' });
    expect((await check({ NATS_URL: 'nats://nats:4222' })).status).toBe('HEALTHY');
  });

  it('warns loudly at start only when no channel besides the log is configured', () => {
    const { logger, lines } = capturingLogger();
    expect(warnIfCrisisAlertsOnlyLogged(loadConfig({}), logger)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: `NO STAFF ALERT CHANNEL: ${LOG_ONLY_DETAIL}` });
    const configured = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', CRISIS_EMAIL_TO: TO[0]! });
    expect(warnIfCrisisAlertsOnlyLogged(configured, logger)).toBe(false);
    expect(lines).toHaveLength(1);
  });
});
