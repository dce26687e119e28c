import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../src/adapters/notify';
import { FROM, type Smtp, TO, startSmtp } from '../support/alert-smtp-server';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * Crisis alerts by email against a REAL SMTP server (smtp-server; what arrives is parsed with mailparser), for a
 * high-tier case through the whole stack: API → screening → case workflow → notify activity → fan-out → SMTP.
 * The email notifier alone (errors, timeouts, credentials): email-notifier-smtp.test.ts.
 */
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';

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
