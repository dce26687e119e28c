import { randomUUID } from 'node:crypto';
import { asyncLocalStorage, Context } from '@temporalio/activity';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDomainEvent } from '../../src/adapters/events/envelope-schema';
import { createCrisisActivities } from '../../src/activities/crisis';
import { crisisCaseContract, type CrisisCaseInput } from '../../src/contracts/crisis-case';
import { DEFAULT_CRISIS_POLICY } from '../../src/contracts/crisis-case.policy';
import { startOptionsOf } from '../../src/contracts/contract';
import { createLogger } from '../../src/logger';
import { createCrisisRepository } from '../../src/db/repositories/crisis';
import { type Harness, eventually, startHarness } from '../support/harness';
import { mealTestWorkers } from '../support/meal-test-worker';

/**
 * A case's timeline entry and its domain event are written by one local activity in one transaction (patch
 * `case-record-local`, issue 14): a woken case records and notifies in the workflow task that woke it. Real
 * dev server, workers and database.
 */
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
let h: Harness;
const { realActivities, withWorker } = mealTestWorkers(() => h);
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const inActivity = <T>(fn: () => Promise<T>) =>
  asyncLocalStorage.run(
    {
      info: { activityType: 'recordCaseEvent', attempt: 1, workflowExecution: { workflowId: 'crisis-t', runId: 'r' } },
    } as unknown as Context,
    fn,
  );

async function outboxFor(caseId: string) {
  const rows = (await h.database.db.execute(
    sql`select body from app.event_outbox where body::jsonb ->> 'subject' = ${caseId} order by created_at`,
  )) as unknown as { body: string }[];
  return rows.map((r) => parseDomainEvent(JSON.parse(r.body)));
}

async function timelineOf(caseId: string) {
  return (await h.database.db.execute(
    sql`select event_key, type from app.crisis_events where case_id = ${caseId} order by seq`,
  )) as unknown as { event_key: string; type: string }[];
}

const fetchHistoryOf = (workflowId: string) => h.temporal.workflow.getHandle(workflowId).fetchHistory();

describe('the case timeline entry and its domain event in one transaction', () => {
  const acts = () =>
    createCrisisActivities({ crisis: createCrisisRepository(h.database.db), logger: createLogger('silent') } as never);
  const entry = (caseId: string, seq: number, type: string, patch: Record<string, unknown>) => ({
    caseId,
    userId: `user-${caseId.slice(0, 8)}`,
    eventKey: `${caseId}:r:${seq}`,
    seq,
    type,
    actor: 'system',
    at: new Date(Date.UTC(2026, 11, 1, 7, 0, seq)).toISOString(),
    data: {},
    patch,
  });

  it('queues a transition once with the case as the entry left it; a retried entry writes and queues nothing', async () => {
    const caseId = randomUUID();
    const a = acts();
    await inActivity(() => a.recordCaseEvent(entry(caseId, 1, 'opened', { status: 'open', tier: 'high', level: 0 })));
    await inActivity(() => a.recordCaseEvent(entry(caseId, 2, 'notified', { level: 0, ackDeadline: null })));
    const escalated = entry(caseId, 3, 'escalated', { level: 1 });
    await inActivity(() => a.recordCaseEvent(escalated));
    await inActivity(() => a.recordCaseEvent(escalated)); // a retry after a commit that was not acknowledged
    expect((await timelineOf(caseId)).map((e) => e.type)).toEqual(['opened', 'notified', 'escalated']);
    const events = await outboxFor(caseId);
    // `notified` is not a state transition: no domain event. `escalated` carries the tier it did not patch.
    expect(events.map((e) => [e.type, e.id, e.time])).toEqual([
      ['crisis.case.opened', `crisis.case.opened:${caseId}:r:1`, escalated.at.replace(':03.', ':01.')],
      ['crisis.case.escalated', `crisis.case.escalated:${caseId}:r:3`, escalated.at],
    ]);
    expect(events[1]!.data).toEqual({ caseId, userId: escalated.userId, tier: 'high', status: 'open', level: 1 });
  });

  it('an event that cannot be queued rolls the entry back, so the retry writes both', async () => {
    const caseId = randomUUID();
    const repo = createCrisisRepository(h.database.db);
    const e = { ...entry(caseId, 1, 'opened', { status: 'open', tier: 'low' }), at: new Date(), workflowId: 'w' };
    await expect(
      repo.recordEvent(e, async () => {
        throw new Error('outbox unavailable');
      }),
    ).rejects.toThrow('outbox unavailable');
    expect(await timelineOf(caseId)).toEqual([]);
    await inActivity(() => acts().recordCaseEvent(entry(caseId, 1, 'opened', { status: 'open', tier: 'low' })));
    expect((await timelineOf(caseId)).map((x) => x.type)).toEqual(['opened']);
    expect((await outboxFor(caseId)).map((x) => x.type)).toEqual(['crisis.case.opened']);
  });

  it('a case run records as local activities: no recordCaseEvent or publishCaseEvent task in its history', async () => {
    const user = h.newUser();
    const res = await h.call('POST', '/v1/journal-entries', {
      token: await h.token(user),
      body: { text: HIGH_TEXT, mood: 1 },
    });
    expect(res.status).toBe(202);
    const row = await eventually(async () => {
      const rows = (await h.database.db.execute(
        sql`select c.id, c.workflow_id from app.crisis_cases c join app.crisis_events e on e.case_id = c.id
            where c.user_id = ${user} and e.type = 'notified' limit 1`,
      )) as unknown as { id: string; workflow_id: string }[];
      return rows[0];
    });
    // A local step's row is written before its marker and the task's commands reach the history: they land when
    // the workflow task completes, which under load can be after the row is visible (a clean-clone run fetched
    // the history in between). Wait for the patch marker, the opened and notified entries' markers and the
    // delivery (notifyStaff) to be in the history, then check that nothing else was scheduled for the timeline.
    const scheduledIn = (hist: Awaited<ReturnType<typeof fetchHistoryOf>>) =>
      (hist.events ?? []).map((ev) => ev.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    const history = await eventually(async () => {
      const hist = await fetchHistoryOf(row.workflow_id);
      const markers = (hist.events ?? []).filter((ev) => ev.markerRecordedEventAttributes).length;
      return markers >= 3 && scheduledIn(hist).includes('notifyStaff') ? hist : undefined;
    });
    const scheduled = scheduledIn(history);
    expect(scheduled).not.toContain('recordCaseEvent');
    expect(scheduled).not.toContain('publishCaseEvent');
    expect((await outboxFor(row.id)).map((x) => x.type)).toEqual(['crisis.case.opened']);
    await h.temporal.workflow.getHandle(row.workflow_id).terminate('test done');
  });
});

describe('a timeline entry the local step cannot write within its budget', () => {
  it('goes to recordDurable, a regular activity: written once, with its event, and the ladder goes on', async () => {
    const real = realActivities();
    let localAttempts = 0;
    // The `opened` entry's local attempts fail as in a database outage; the regular activity reaches the database.
    const recordCaseEvent: typeof real.recordCaseEvent = async (e) => {
      if (Context.current().info.isLocal && e.type === 'opened') {
        localAttempts++;
        throw new Error('database unavailable (test)');
      }
      return real.recordCaseEvent(e);
    };
    const userId = h.newUser();
    const caseId = randomUUID();
    const input: CrisisCaseInput = {
      caseId,
      userId,
      tier: 'high',
      entryId: randomUUID(),
      policy: DEFAULT_CRISIS_POLICY,
      timeScale: 1,
    };
    const q = `crisis-record-${caseId.slice(0, 8)}`;
    // The workflow (and so its local activities) on a queue of its own; its regular activities go to
    // `critical`, served by the harness's workers with the real activities.
    const history = await withWorker(q, { recordCaseEvent }, async () => {
      const handle = await h.temporal.workflow.start(crisisCaseContract.workflowType, {
        ...startOptionsOf(crisisCaseContract, input),
        taskQueue: q,
        args: [input],
      });
      await eventually(async () => ((await timelineOf(caseId)).length >= 2 ? true : undefined), 90_000);
      const events = (await handle.fetchHistory()).events ?? [];
      await handle.terminate('test done');
      return events;
    });
    expect((await timelineOf(caseId)).map((e) => e.type)).toEqual(['opened', 'notified']);
    expect((await outboxFor(caseId)).map((x) => x.type)).toEqual(['crisis.case.opened']);
    expect(localAttempts).toBe(5); // retried locally first, 5 attempts
    const scheduled = history.map((ev) => ev.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled.filter((n) => n === 'recordCaseEvent')).toHaveLength(1); // only the failed entry
  }, 120_000);
});
