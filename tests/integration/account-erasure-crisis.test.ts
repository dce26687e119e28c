import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { completedReceipt, remaining } from '../support/erasure-people';
import { eventually, type Harness, startHarness } from '../support/harness';

/**
 * The open-crisis-case policy of erasure (docs/account-lifecycle.md, "Crisis cases"): the case and its audit
 * timeline are kept with an `erasure_requested` entry, its run keeps going for staff, the journal entry (the
 * only place the text was) is deleted, and the case's current recipient gets `case.erasure_requested` through
 * the notifier fan-out (here the webhook channel) with ids and tier only.
 */
const SECRET = 'erasure-crisis-webhook-secret-0123456789';
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
let h: Harness;
let hooks: Awaited<ReturnType<typeof startFakeWebhookReceiver>>;

beforeAll(async () => {
  hooks = await startFakeWebhookReceiver({ secret: SECRET });
  h = await startHarness({ env: { CRISIS_WEBHOOK_URL: hooks.url, CRISIS_WEBHOOK_SECRET: SECRET } });
});
afterAll(async () => {
  await h?.stop();
  await hooks?.close();
});

describe('erasure with an open crisis case', () => {
  it('keeps the case and its timeline, removes the journal text and tells staff', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const entry = await h.call('POST', '/v1/journal-entries', { token, body: { text: HIGH_TEXT, mood: 1 } });
    expect(entry.status, entry.text).toBe(202);
    const caseId = await eventually(async () => {
      const rows = await h.database.sql`select id from app.crisis_cases where user_id = ${user}`;
      return rows[0]?.id as string | undefined;
    });

    const res = await h.call('DELETE', '/v1/me', { token, body: { confirm: true } });
    expect(res.status, res.text).toBe(202);
    const receipt = await completedReceipt(h, user);
    expect(receipt.crisisCasesRetained).toBe(1);
    expect(receipt.counts.journalEntries).toBe(1);
    expect((await remaining(h, user)).journal_entries).toBe(0);

    const staff = await h.token('nurse-erasure', 'staff');
    const detail = (await h.call('GET', `/v1/crisis/cases/${caseId}`, { token: staff })).json;
    const types = detail.timeline.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('opened');
    expect(types).toContain('erasure_requested');
    expect(JSON.stringify(detail)).not.toContain('kill myself');
    // The case run is staff work: erasure leaves it running.
    const run = await h.temporal.workflow.getHandle(`crisis-${user}`).describe();
    expect(run.status.name).toBe('RUNNING');

    const notice = await eventually(async () =>
      hooks.deliveries.map((d) => d.body as Record<string, unknown>).find((b) => b.event === 'case.erasure_requested'),
    );
    expect(notice).toMatchObject({ caseId, userId: user, tier: 'high' });
    expect(JSON.stringify(notice)).not.toContain('kill myself');
  }, 180_000);
});
