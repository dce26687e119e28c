import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWebhookReceiver, startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * Crisis cases on a real dev server and database, with a real signed-webhook receiver. Durations: the
 * policy file below times CRISIS_TIME_SCALE (0.01) gives a 2 s acknowledgement window for `high`,
 * 4 s for `moderate`, and follow-ups 2 s and 4 s after resolution.
 */
const SECRET = 'test-webhook-secret-0123456789';
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
let h: Harness;
let hooks: FakeWebhookReceiver;
let policyDir: string;

beforeAll(async () => {
  hooks = await startFakeWebhookReceiver({ secret: SECRET });
  policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-policy-'));
  const policyFile = path.join(policyDir, 'crisis-policy.json');
  fs.writeFileSync(
    policyFile,
    JSON.stringify({
      high: { ackDeadlineMs: 200_000, followUpsMs: [200_000, 400_000] },
      moderate: { ackDeadlineMs: 400_000, followUpsMs: [200_000] },
    }),
  );
  h = await startHarness({
    env: {
      CRISIS_TIME_SCALE: '0.01',
      CRISIS_POLICY_FILE: policyFile,
      CRISIS_WEBHOOK_URL: hooks.url,
      CRISIS_WEBHOOK_SECRET: SECRET,
    },
  });
});
afterAll(async () => {
  await h?.stop();
  await hooks?.close();
  fs.rmSync(policyDir, { recursive: true, force: true });
});

const staff = () => h.token('nurse-1', 'staff');
const write = async (token: string, text: string) => {
  const res = await h.call('POST', '/v1/journal-entries', { token, body: { text, mood: 2 } });
  expect(res.status).toBe(202);
  return res.json as { entryId: string; workflowId: string };
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
const types = (d: any) => d.timeline.map((e: any) => e.type);
const hooksFor = (caseId: string) =>
  hooks.deliveries.filter((d) => (d.body as any)?.caseId === caseId).map((d) => d.body as any);

describe('crisis case escalation', () => {
  it('screens a high-risk entry, opens a case, and climbs the whole ladder when nobody acknowledges', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const entry = await write(token, HIGH_TEXT);
    const caseId = await caseOf(user);

    const final = await eventually(async () => {
      const d = await detail(caseId);
      return types(d).includes('renotified') ? d : undefined;
    }, 30_000);
    expect(final).toMatchObject({ userId: user, tier: 'high', status: 'open', escalationLevel: 2 });
    expect(types(final).slice(0, 6)).toEqual(['opened', 'notified', 'escalated', 'notified', 'escalated', 'notified']);
    const sent = await eventually(async () => (hooksFor(caseId).length >= 4 ? hooksFor(caseId) : undefined));
    expect(sent.map((n) => [n.event, n.level, n.recipient]).slice(0, 3)).toEqual([
      ['case.opened', 0, 'support-team'],
      ['case.escalated', 1, 'on-call-clinician'],
      ['case.escalated', 2, 'clinical-lead'],
    ]);
    // Each level's deadline is the previous one plus the 2 s window: the ladder keeps its own schedule.
    const d0 = Date.parse(sent[0].ackDeadline);
    expect(Date.parse(sent[1].ackDeadline) - d0).toBe(2000);
    expect(Date.parse(sent[2].ackDeadline) - d0).toBe(4000);
    for (const d of hooks.deliveries) {
      expect(d.signatureValid).toBe(true);
      expect(d.raw).not.toMatch(/kill|note|tonight/i);
      expect((d.body as any).link).toMatch(new RegExp(`/console/cases/${(d.body as any).caseId}$`));
    }

    const mine = await h.call('GET', `/v1/journal-entries/${entry.entryId}`, { token });
    expect(mine.json).toMatchObject({ text: HIGH_TEXT, screening: { status: 'screened', tier: 'high' } });
    expect(JSON.stringify(mine.json.support)).toMatch(/988/);
    const asStaff = await h.call('GET', `/v1/journal-entries/${entry.entryId}`, { token: await staff() });
    expect(asStaff.json.text).toBeUndefined();
    expect(asStaff.json.screening.tier).toBe('high');
    // Staff see why it was flagged (both signals); the author sees the tier and support, not the internals.
    expect(asStaff.json.screening.why).toMatchObject({
      source: expect.stringMatching(/^(both|rules|model)$/),
      rules: { tier: expect.any(String), categories: expect.any(Array) },
      model: { version: expect.stringMatching(/^crisis-model-/), scores: { high: expect.any(Number) } },
    });
    expect(mine.json.screening.why).toBeUndefined();

    // The case run is staff work: its owner can neither open it nor find it in their runs.
    const caseRun = `crisis-${user}`;
    expect((await h.call('GET', `/v1/workflows/${caseRun}`, { token })).status).toBe(404);
    expect((await h.call('GET', `/v1/workflows/${caseRun}/events`, { token })).status).toBe(404);
    const listed = await h.call('GET', '/v1/workflows?limit=100', { token });
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((r: any) => r.workflowId)).not.toContain(caseRun);
    expect((await h.call('GET', `/v1/workflows/${caseRun}`, { token: await staff() })).status).toBe(200);
  });

  it('stops escalating on acknowledgement; a duplicate acknowledgement is harmless; resolve, follow-ups, close', async () => {
    const user = h.newUser();
    await write(await h.token(user), HIGH_TEXT);
    const caseId = await caseOf(user);
    await eventually(async () => types(await detail(caseId)).includes('notified'));

    expect(
      (await h.call('POST', `/v1/crisis/cases/${caseId}/acknowledge`, { token: await h.token(user) })).status,
    ).toBe(403);
    expect(
      (
        await h.call('POST', `/v1/crisis/cases/${caseId}/resolve`, {
          token: await staff(),
          body: { outcome: 'contacted_safe' },
        })
      ).status,
    ).toBe(409);
    const ack = await h.call('POST', `/v1/crisis/cases/${caseId}/acknowledge`, { token: await staff() });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'nurse-1' });
    const again = await h.call('POST', `/v1/crisis/cases/${caseId}/acknowledge`, { token: await staff() });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    await new Promise((r) => setTimeout(r, 3000)); // past the 2 s deadline: no escalation may follow
    const quiet = await detail(caseId);
    expect(types(quiet).filter((t: string) => t === 'acknowledged')).toHaveLength(1);
    expect(types(quiet)).not.toContain('escalated');

    const note = await h.call('POST', `/v1/crisis/cases/${caseId}/notes`, {
      token: await staff(),
      body: { note: 'Spoke by phone; safety plan agreed.' },
    });
    expect(note.status).toBe(200);
    const resolved = await h.call('POST', `/v1/crisis/cases/${caseId}/resolve`, {
      token: await staff(),
      body: { outcome: 'contacted_safe' },
    });
    expect(resolved.json).toMatchObject({ status: 'resolved', outcome: 'contacted_safe' });
    expect(
      (
        await h.call('POST', `/v1/crisis/cases/${caseId}/resolve`, {
          token: await staff(),
          body: { outcome: 'contacted_safe' },
        })
      ).status,
    ).toBe(409);

    const closed = await eventually(async () => {
      const d = await detail(caseId);
      return d.status === 'closed' ? d : undefined;
    }, 20_000);
    expect(types(closed)).toEqual([
      'opened',
      'notified',
      'acknowledged',
      'note',
      'resolved',
      'follow_up',
      'follow_up',
      'closed',
    ]);
    expect(closed.timeline.find((e: any) => e.type === 'note').data.note).toBe('Spoke by phone; safety plan agreed.');
    const stored = await h.database.db.execute(
      sql`select data::text as d from app.crisis_events where case_id = ${caseId} and type = 'note'`,
    );
    expect((stored[0] as { d: string }).d).not.toMatch(/safety plan/);
    expect((await h.call('POST', `/v1/crisis/cases/${caseId}/acknowledge`, { token: await staff() })).status).toBe(409);
    expect(
      (await h.call('POST', `/v1/crisis/cases/${caseId}/notes`, { token: await staff(), body: { note: 'late' } }))
        .status,
    ).toBe(409);
    expect(hooksFor(caseId).map((n) => n.event)).toEqual(
      expect.arrayContaining(['case.opened', 'case.followup_due', 'case.closed']),
    );
  });

  it('joins new flagged entries to the open case and only ever raises its tier', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    await write(token, 'I keep cutting my arms when things get bad');
    const caseId = await caseOf(user);
    expect(await eventually(async () => ((await detail(caseId)).tier === 'moderate' ? true : undefined))).toBe(true);
    // The screener (rules + model) decides how high this one goes; the case must rise to at least high.
    await write(token, 'I have the pills saved up and I will take them all tonight');
    const raised = await eventually(async () => {
      const tier = (await detail(caseId)).tier as string;
      return ['high', 'imminent'].includes(tier) ? tier : undefined;
    });
    await write(token, 'sometimes I wish I could just disappear');
    const d = await eventually(async () => {
      const x = await detail(caseId);
      return types(x).filter((t: string) => t === 'flagged').length >= 1 ? x : undefined;
    });
    // A lower-tier entry joins the case as `flagged` and never lowers it.
    expect(d.tier).toBe(raised);
    expect(types(d)).toContain('tier_raised');
    const cases = await h.database.db.execute(
      sql`select count(*)::int as n from app.crisis_cases where user_id = ${user}`,
    );
    expect(cases[0]).toEqual({ n: 1 });
  });

  it('keeps the schedule when the workers die mid-escalation: the overdue escalation fires as soon as one is back', async () => {
    const user = h.newUser();
    await write(await h.token(user), HIGH_TEXT);
    const caseId = await caseOf(user);
    const first = await eventually(async () => (hooksFor(caseId)[0] ? hooksFor(caseId)[0] : undefined));
    await h.stopWorkers();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(first.ackDeadline) - Date.now()) + 1500));
    expect(types(await detail(caseId))).not.toContain('escalated');
    await h.startWorkers();
    const escalated = await eventually(async () => hooksFor(caseId).find((n) => n.event === 'case.escalated'), 15_000);
    expect(Date.parse(escalated.ackDeadline) - Date.parse(first.ackDeadline)).toBe(2000);
  });

  it('keeps journal text out of Temporal: the raw histories hold only encrypted payloads', async () => {
    const user = h.newUser();
    const entry = await write(await h.token(user), 'my secret phrase purple-otter: I want to end it all tonight');
    await caseOf(user);
    for (const id of [entry.workflowId, `crisis-${user}`]) {
      const history = await h.temporal.workflow.getHandle(id).fetchHistory();
      const raw = JSON.stringify(history);
      expect(raw).not.toMatch(/purple-otter/);
      expect(raw).not.toMatch(/end it all/);
    }
    const stored = await h.database.db.execute(
      sql`select text_encrypted from app.journal_entries where id = ${entry.entryId}`,
    );
    // At rest: v2, under the person's own data key (src/crypto/person-cipher.ts), never the words.
    const text = (stored[0] as { text_encrypted: string }).text_encrypted;
    expect(text).toMatch(/^v2:[0-9a-f]{16}:/);
    expect(text).not.toMatch(/purple-otter/);
  });

  it('rejects empty and over-long entries with the envelope and stores nothing', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    for (const text of ['', '   ', 'x'.repeat(20_000)]) {
      const res = await h.call('POST', '/v1/journal-entries', { token, body: { text } });
      expect(res.status).toBe(422);
      expect(res.json.error.category).toBe('validation');
    }
    const rows = await h.database.db.execute(
      sql`select count(*)::int as n from app.journal_entries where user_id = ${user}`,
    );
    expect(rows[0]).toEqual({ n: 0 });
    expect((await h.call('GET', '/v1/crisis/cases', { token })).status).toBe(403);
    expect(
      (await h.call('GET', '/v1/crisis/cases/00000000-0000-4000-8000-000000000000', { token: await staff() })).status,
    ).toBe(404);
  });
});
