import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOG_ONLY_DETAIL,
  NotifyError,
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
import { type Harness, eventually, startHarness } from '../support/harness';
import { sampleNotification } from '../support/notifications';
import { freePort } from '../support/ports';

/**
 * The email channel against a REAL SMTP server (smtp-server, the server half of nodemailer), parsing what arrives
 * with mailparser: first the notifier alone (errors, timeouts, credentials), then a high-tier case through the
 * whole stack (API → screening → case workflow → notify activity → fan-out → SMTP).
 */

const TO = ['oncall@wellflow.test', 'clinical-lead@wellflow.test'];
const FROM = 'Wellflow test alerts <alerts@wellflow.test>';
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';

interface Received {
  raw: string;
  mail: ParsedMail;
  /** The envelope recipients the server accepted. */
  rcptTo: string[];
  mailFrom: string;
  user: unknown;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * A real SMTP server on 127.0.0.1 that records every accepted message. Faults are planned ahead and consumed in
 * order: `refuseConnections` greets the next N connections with 421 (and closes them), `deferSessions` answers
 * every RCPT of the next N sessions with 451, `deferData` answers the next N message bodies with 451, and
 * `rejectRcpt(address)` decides a permanent 550 per recipient.
 */
async function startSmtp(opts: { auth?: { user: string; pass: string } } = {}) {
  const received: Received[] = [];
  const plan = {
    refuseConnections: 0,
    deferSessions: 0,
    deferData: 0,
    rejectRcpt: (_address: string) => false,
  };
  const deferred = new Set<string>();
  let connections = 0;
  const server = new SMTPServer({
    logger: false,
    // No STARTTLS: the built-in certificate is self-signed, and the relay is local.
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        return cb(null, { user: auth.username });
      cb(smtpError(535, '5.7.8 Authentication failed'));
    },
    onConnect(session, cb) {
      connections++;
      if (plan.refuseConnections > 0) {
        plan.refuseConnections--;
        return cb(smtpError(421, '4.3.2 Too busy, try again later'));
      }
      if (plan.deferSessions > 0) {
        plan.deferSessions--;
        deferred.add(session.id);
      }
      cb();
    },
    onRcptTo(address, session, cb) {
      if (deferred.has(session.id)) return cb(smtpError(451, '4.3.0 Mailbox temporarily unavailable'));
      if (plan.rejectRcpt(address.address))
        return cb(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected`));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (plan.deferData > 0) {
          plan.deferData--;
          return cb(smtpError(451, '4.3.0 Queue full, try again later'));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (mail) => {
            received.push({
              raw,
              mail,
              rcptTo: session.envelope.rcptTo.map((a) => a.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              user: session.user,
            });
            cb();
          },
          (err: Error) => cb(err),
        );
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    plan,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const notification = sampleNotification;

async function failure(p: Promise<unknown>): Promise<NotifyError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NotifyError);
    return err as NotifyError;
  }
  throw new Error('expected a NotifyError');
}

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

/**
 * Durations: CRISIS_TIME_SCALE 0.01 times the policy below gives `high` a 6 s acknowledgement window: room for
 * the retried delivery (1 s + 2 s backoff) to land before the first escalation.
 */
describe('crisis alerts by email through the whole stack', () => {
  let h: Harness;
  let smtp: Smtp;
  let policyDir: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-email-policy-'));
    const policyFile = path.join(policyDir, 'crisis-policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ high: { ackDeadlineMs: 600_000 } }));
    h = await startHarness({
      env: {
        SMTP_URL: smtp.url,
        CRISIS_EMAIL_TO: TO.join(', '),
        SMTP_FROM: FROM,
        CRISIS_TIME_SCALE: '0.01',
        CRISIS_POLICY_FILE: policyFile,
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
    if (policyDir) fs.rmSync(policyDir, { recursive: true, force: true });
  });

  const staff = () => h.token('nurse-1', 'staff');
  const write = async (userId: string, text: string) => {
    const res = await h.call('POST', '/v1/journal-entries', { token: await h.token(userId), body: { text, mood: 2 } });
    expect(res.status).toBe(202);
  };
  const caseOf = async (userId: string) =>
    eventually(async () => {
      const rows = await h.database.db.execute(
        sql`select id from app.crisis_cases where user_id = ${userId} order by opened_at desc limit 1`,
      );
      return rows[0] ? (rows[0] as { id: string }).id : undefined;
    });
  const detail = async (caseId: string) =>
    (await h.call('GET', `/v1/crisis/cases/${caseId}`, { token: await staff() })).json;
  const mailsFor = (caseId: string, event = 'case.opened') =>
    smtp.received.filter(
      (r) => r.mail.text?.includes(`/console/cases/${caseId}`) && r.mail.headers.get('x-wellflow-event') === event,
    );
  const acknowledge = async (caseId: string) =>
    expect((await h.call('POST', `/v1/crisis/cases/${caseId}/acknowledge`, { token: await staff() })).status).toBe(200);

  it('reports the crisis_alerts check HEALTHY with email configured', async () => {
    const res = await h.callOps('GET', '/health/crisis_alerts');
    expect(res.json).toMatchObject({
      status: 'HEALTHY',
      detail: `log, email to 2 address(es) via 127.0.0.1:${smtp.port}`,
    });
  });

  it('emails every address when a high-tier case opens: tier, deadline and link, never the journal text', async () => {
    const user = h.newUser();
    // A fixed marker: the model hashes unknown words into its features, so a random one moved about 4 % of
    // these entries from high to imminent (the SMTP server is this file's own, so the marker need not vary).
    const marker = 'quokkamarker';
    await write(user, `${HIGH_TEXT} ${marker}`);
    const caseId = await caseOf(user);
    const [got] = await eventually(async () => (mailsFor(caseId).length ? mailsFor(caseId) : undefined), 20_000);
    const d = await detail(caseId);
    await acknowledge(caseId);

    const { mail, raw, rcptTo } = got!;
    expect(d).toMatchObject({ tier: 'high', escalationLevel: 0 });
    expect(rcptTo.sort()).toEqual([...TO].sort());
    const to = Array.isArray(mail.to) ? mail.to.flatMap((t) => t.value) : (mail.to?.value ?? []);
    expect(to.map((a) => a.address).sort()).toEqual([...TO].sort());
    expect(mail.subject).toBe(`[Wellflow] HIGH crisis case opened — acknowledge by ${d.ackDeadline.slice(11, 16)} UTC`);
    expect(mail.text).toContain('HIGH');
    expect(mail.text).toContain('0 (support-team)');
    expect(mail.text).toContain(d.ackDeadline);
    const link = `${h.config.publicUrl}/console/cases/${caseId}`;
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    const id = mail.headers.get('x-wellflow-notification-id') as string;
    expect(id).toMatch(new RegExp(`^${caseId}:.+:n\\d+$`));
    expect(mail.messageId).toBe(messageIdFor(id, 'wellflow.test'));

    // The person's words appear nowhere: not in the raw message (also with quoted-printable soft line breaks
    // joined), not in a decoded part or header.
    for (const where of [
      raw,
      raw.replace(/=\r?\n/g, ''),
      mail.text ?? '',
      String(mail.html),
      mail.subject ?? '',
      JSON.stringify([...mail.headers]),
    ]) {
      expect(where).not.toContain(marker);
      expect(where).not.toMatch(/kill myself|tonight/i);
      expect(where).not.toContain(user);
    }
    const types = (await detail(caseId)).timeline.map((e: { type: string }) => e.type);
    expect(types).not.toContain('notify_failed');
  });

  it('retries a server that refuses for a while (421, then 451) until the alert arrives', async () => {
    smtp.plan.refuseConnections = 1;
    smtp.plan.deferSessions = 1;
    const before = smtp.connections();
    const user = h.newUser();
    await write(user, HIGH_TEXT);
    const caseId = await caseOf(user);
    const got = await eventually(async () => (mailsFor(caseId).length ? mailsFor(caseId) : undefined), 20_000);
    await acknowledge(caseId);
    expect(got).toHaveLength(1);
    expect(smtp.plan).toMatchObject({ refuseConnections: 0, deferSessions: 0 });
    expect(smtp.connections() - before).toBeGreaterThanOrEqual(3);
    const types = (await detail(caseId)).timeline.map((e: { type: string }) => e.type);
    expect(types).not.toContain('notify_failed');
  });

  it('records notify_failed for a permanent 550 for every recipient, and the ladder still climbs on time', async () => {
    smtp.plan.rejectRcpt = () => true;
    try {
      const user = h.newUser();
      await write(user, HIGH_TEXT);
      const caseId = await caseOf(user);
      const first = await eventually(async () => {
        const d = await detail(caseId);
        return d.timeline.some((e: any) => e.type === 'notify_failed') ? d : undefined;
      }, 20_000);
      const deadline0 = Date.parse(first.ackDeadline);
      const failed = first.timeline.find((e: any) => e.type === 'notify_failed');
      expect(failed.data).toMatchObject({ event: 'case.opened', level: 0, recipient: 'support-team' });
      expect(failed.data.error).toMatch(/NotifyRejected/);
      expect(failed.data.error).toMatch(/550/);
      for (const a of TO) expect(failed.data.error).not.toContain(a);
      // Rejected at once (not retried for an hour) and before the deadline: the ladder did not wait for it.
      expect(Date.parse(failed.at)).toBeLessThan(deadline0);

      const later = await eventually(async () => {
        const d = await detail(caseId);
        const escalatedFailed = d.timeline.some(
          (e: any) => e.type === 'notify_failed' && e.data.event === 'case.escalated',
        );
        return escalatedFailed ? d : undefined;
      }, 20_000);
      await acknowledge(caseId);
      const escalated = later.timeline.find((e: any) => e.type === 'escalated');
      expect(escalated.data).toMatchObject({ level: 1, recipient: 'on-call-clinician' });
      // On its own schedule: escalated at the level-0 deadline, not after some retry budget ran out.
      expect(Date.parse(escalated.at) - deadline0).toBeGreaterThanOrEqual(-50);
      expect(Date.parse(escalated.at) - deadline0).toBeLessThan(2_000);
      expect(smtp.received.filter((r) => r.mail.text?.includes(`/console/cases/${caseId}`))).toHaveLength(0);
    } finally {
      smtp.plan.rejectRcpt = () => false;
    }
  });
});
