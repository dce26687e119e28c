import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountErasureWorkflowId } from '../../src/contracts/account-erasure';
import { taskScheduleId } from '../../src/contracts/task-execution';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { type DurableConsumer } from '../../src/worker/durable-consumer';
import { startUserDeletedConsumer } from '../../src/worker/account-erasure-events';
import { completedReceipt, receiptOf, remaining, seedPerson, snapshot } from '../support/erasure-people';
import { eventually, type Harness, startHarness } from '../support/harness';
import { startOwnNats } from '../support/routines-nats';

/**
 * Account erasure end to end on the real stack (Temporal dev server, PostgreSQL, this file's own JetStream):
 * the API trigger with its confirmation, 410 for the erased person's token at once, every row, schedule and run
 * of theirs gone with exact receipt counts, a neighbour byte-identical (a photo shared by content hash
 * included), a second trigger a no-op, and the account service's user.deleted (delivered twice) erasing once
 * and publishing wellflow.user.erased. The user.deleted subject is configured (NATS_USER_DELETED_SUBJECT) and
 * changed after the durable consumer was made with the default one: the consumer follows the new subject.
 */
const USER_DELETED_SUBJECT = 'wellflow.accounts.user-deleted';
let h: Harness;
let nats: Awaited<ReturnType<typeof startOwnNats>>;
let consumer: DurableConsumer;
const erased: Record<string, unknown>[] = [];

beforeAll(async () => {
  nats = await startOwnNats();
  const sub = nats.nc.subscribe('wellflow.user.erased');
  void (async () => {
    for await (const m of sub) erased.push(m.json<Record<string, unknown>>());
  })();
  h = await startHarness({ env: { NATS_URL: nats.url, NATS_USER_DELETED_SUBJECT: USER_DELETED_SUBJECT } });
  const start = (subject: string) =>
    startUserDeletedConsumer({
      natsUrl: nats.url,
      subject,
      database: h.database,
      temporal: h.temporal,
      logger: createLogger('warn'),
    });
  // A deployment that ran with the default subject: its durable consumer exists, filtered on that subject.
  const before = start(loadConfig({}).NATS_USER_DELETED_SUBJECT);
  await eventually(async () => (await consumerFilter()) === 'wellflow.user.deleted');
  await before.stop();
  consumer = start(h.config.NATS_USER_DELETED_SUBJECT);
  await eventually(async () => (await consumerFilter()) === USER_DELETED_SUBJECT);
}, 60_000);
afterAll(async () => {
  await consumer?.stop();
  await h?.stop();
  await nats?.stop();
});

async function consumerFilter(): Promise<string | undefined> {
  const jsm = await jetstreamManager(nats.nc);
  return (await jsm.consumers.info('WELLFLOW', 'wellflow-account-erasure')).config.filter_subject;
}

async function scheduleExists(id: string) {
  try {
    await h.temporal.schedule.getHandle(id).describe();
    return true;
  } catch {
    return false;
  }
}

describe('account erasure', () => {
  it('DELETE /v1/me erases the person (410 at once, exact receipt) and leaves the neighbour byte-identical', async () => {
    const alice = await seedPerson(h);
    const bob = await seedPerson(h);
    expect(alice.photoKey).toBe(bob.photoKey); // the same photo bytes: one file, two meals
    const bobBefore = await snapshot(h, bob.user, bob.photoKey);
    const taskIds = (await h.database.sql`select id from app.tasks where user_id = ${alice.user}`).map((r) => r.id);
    expect(await scheduleExists(taskScheduleId(String(taskIds[0])))).toBe(true);

    // The confirmation is required: bad bodies change nothing.
    expect((await h.call('DELETE', '/v1/me', { token: alice.token })).status).toBe(422);
    expect((await h.call('DELETE', '/v1/me', { token: alice.token, body: { confirm: false } })).status).toBe(422);
    expect((await h.call('DELETE', '/v1/me', { token: alice.token, body: '{"confirm":' })).status).toBe(400);
    expect((await receiptOf(h, alice.user)).status).toBe(404);
    expect((await h.call('GET', '/v1/meals', { token: alice.token })).status).toBe(200);

    const res = await h.call('DELETE', '/v1/me', { token: alice.token, body: { confirm: true } });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ workflowId: accountErasureWorkflowId(alice.user), alreadyRequested: false });

    // Marked first: the token is refused at once, for reads and starts alike.
    const gone = await h.call('GET', '/v1/meals', { token: alice.token });
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('account_erased');
    expect((await h.call('POST', '/v1/meals', { token: alice.token, body: { description: 'toast' } })).status).toBe(
      410,
    );

    const receipt = await completedReceipt(h, alice.user);
    expect(receipt).toMatchObject({ trigger: 'api', crisisCasesRetained: 0 });
    expect(receipt.counts).toMatchObject({
      meals: 2,
      mealAnalyses: 1,
      photos: 0, // bob's meal still uses the file
      photosShared: 1,
      profile: 1,
      journalEntries: 1,
      tasks: 1,
      insights: 1,
      idempotencyRecords: 1,
      schedules: 1,
    });
    // The photo meal was waiting for a description: its run was cancelled (journal/meal runs already closed).
    expect(receipt.counts.runsCancelled).toBeGreaterThanOrEqual(1);
    expect(receipt.runsClosedAt).not.toBeNull();

    expect(Object.values(await remaining(h, alice.user)).every((n) => n === 0)).toBe(true);
    expect(await scheduleExists(taskScheduleId(String(taskIds[0])))).toBe(false);
    let running = 0;
    for await (const _ of h.temporal.workflow.list({
      query: `UserId = '${alice.user}' AND ExecutionStatus = 'Running'`,
    }))
      running++;
    expect(running).toBe(0);

    // The neighbour: every row and the shared photo exactly as before; their waiting run untouched.
    expect(await snapshot(h, bob.user, bob.photoKey)).toEqual(bobBefore);
    expect(bobBefore.photo).not.toBeNull();
    const bobRun = await h.temporal.workflow.getHandle(`meal-${bob.photoMealId}`).describe();
    expect(bobRun.status.name).toBe('RUNNING');

    // A second trigger (admin, then the person's token) is a no-op: the same completed run, the same receipt.
    const run = await h.temporal.workflow.getHandle(accountErasureWorkflowId(alice.user)).describe();
    const admin = await h.token('admin-erasure', 'admin');
    const again = await h.call('POST', `/v1/admin/users/${alice.user}/erase`, { token: admin });
    expect(again.status, again.text).toBe(202);
    expect(again.json).toMatchObject({ status: 'completed', alreadyRequested: true });
    expect((await h.call('DELETE', '/v1/me', { token: alice.token, body: { confirm: true } })).status).toBe(410);
    const after = await h.temporal.workflow.getHandle(accountErasureWorkflowId(alice.user)).describe();
    expect(after.runId).toBe(run.runId);
    expect((await receiptOf(h, alice.user)).json).toEqual(receipt);

    // Ids and counts only: no journal text or meal words in the log lines of the erasure.
    const lines = JSON.stringify(h.logLines.filter((l) => l.component === 'account-erasure'));
    expect(lines).not.toContain('calm walk');
    expect(lines).not.toContain('eggs');
  }, 240_000);

  it('the admin routes need the admin role and a valid id', async () => {
    const user = await h.token(h.newUser());
    expect((await h.call('POST', '/v1/admin/users/someone/erase', { token: user })).status).toBe(403);
    expect((await h.call('GET', '/v1/admin/users/someone/erasure', { token: user })).status).toBe(403);
    const admin = await h.token('admin-erasure', 'admin');
    expect((await h.call('GET', `/v1/admin/users/${h.newUser()}/erasure`, { token: admin })).status).toBe(404);
    expect((await h.call('POST', "/v1/admin/users/bad'id/erase", { token: admin })).status).toBe(422);
  });

  it('user.deleted from the account service (delivered twice) erases once and publishes wellflow.user.erased', async () => {
    const carol = await seedPerson(h);
    const event = {
      specversion: '1.0',
      id: `user.deleted:${randomUUID()}`,
      type: 'user.deleted',
      source: 'accounts',
      time: new Date().toISOString(),
      data: { userId: carol.user },
    };
    const js = jetstream(nats.nc);
    await js.publish(USER_DELETED_SUBJECT, JSON.stringify(event));
    await js.publish(USER_DELETED_SUBJECT, JSON.stringify(event));
    // A malformed message is dropped, not retried forever.
    await js.publish(USER_DELETED_SUBJECT, JSON.stringify({ type: 'user.deleted', data: {} }));

    const receipt = await completedReceipt(h, carol.user);
    expect(receipt.trigger).toBe('event');
    expect(receipt.counts).toMatchObject({ meals: 2, journalEntries: 1, tasks: 1 });
    expect(Object.values(await remaining(h, carol.user)).every((n) => n === 0)).toBe(true);
    let runs = 0;
    for await (const _ of h.temporal.workflow.list({
      query: `WorkflowId = '${accountErasureWorkflowId(carol.user)}'`,
    }))
      runs++;
    expect(runs).toBe(1);
    const published = await eventually(async () => {
      const mine = erased.filter((e) => (e.data as { userId?: string }).userId === carol.user);
      return mine.length ? mine : undefined;
    }, 30_000);
    expect(published[0]).toMatchObject({
      id: `user.erased:${carol.user}`,
      type: 'user.erased',
      data: { userId: carol.user, trigger: 'event' },
    });
  }, 240_000);
});
