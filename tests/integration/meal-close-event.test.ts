import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDomainEventCte } from '../../src/adapters/events/outbox';
import { parseDomainEvent } from '../../src/adapters/events/envelope-schema';
import { buildDomainEvent } from '../../src/adapters/events/schema';
import type { MealProgress } from '../../src/contracts/meal-analysis';
import { createMealRepository } from '../../src/db/repositories/meals';
import { type Harness, startHarness } from '../support/harness';
import { mealTestWorkers } from '../support/meal-test-worker';

/**
 * `meal.analyzed` is queued by the meal's close step in the transaction that writes the outcome (issue 14):
 * the event exists exactly when the meal is closed. Real dev server and database; each run has its own
 * worker and task queue (tests/support/meal-test-worker.ts).
 */
let h: Harness;
const { realActivities, withWorker, startMeal } = mealTestWorkers(() => h);
beforeAll(async () => {
  h = await startHarness({ workers: false });
});
afterAll(async () => {
  await h?.stop();
});

/** The meal's queued events, parsed, and its row's outcome and close time. */
async function closedWithEvents(mealId: string) {
  const rows = (await h.database.db.execute(
    sql`select subject, body from app.event_outbox where id = ${`meal.analyzed:${mealId}`}`,
  )) as unknown as { subject: string; body: string }[];
  const meal = await createMealRepository(h.database.db).get(mealId);
  return {
    outcome: meal?.outcome ?? null,
    closedAt: meal?.closedAt ?? null,
    steps: (meal?.steps ?? []) as MealProgress['steps'],
    events: rows.map((r) => ({ subject: r.subject, event: parseDomainEvent(JSON.parse(r.body)) })),
  };
}

describe('the meal event in the close transaction', () => {
  it('a completed meal: no publish step, one event timed at the close, queued with the outcome', async () => {
    const q = `close-${randomUUID()}`;
    const { mealId, userId } = await withWorker(q, {}, async () => {
      const started = await startMeal(q);
      await started.handle.result();
      return started;
    });
    const closed = await closedWithEvents(mealId);
    expect(closed.outcome).toBe('completed');
    expect(closed.steps.map((s) => [s.name, s.status])).toEqual([
      ['load', 'completed'],
      ['preprocess', 'skipped'],
      ['recognize', 'skipped'],
      ['estimate', 'completed'],
      ['feedback', 'completed'],
      ['record', 'completed'],
      ['close', 'completed'],
    ]);
    expect(closed.events).toHaveLength(1);
    const [{ subject, event }] = closed.events as [(typeof closed.events)[number]];
    expect(subject).toBe('wellflow.meal.analyzed');
    expect(event).toMatchObject({ id: `meal.analyzed:${mealId}`, subject: mealId });
    expect(event.data).toEqual({ mealId, userId, outcome: 'completed' });
    expect(event.time).toBe(closed.closedAt!.toISOString());
  }, 60_000);

  it('a failed meal is announced by its close too (estimate: NoRecognizableFood)', async () => {
    const q = `close-${randomUUID()}`;
    const { mealId, userId } = await withWorker(q, {}, async () => {
      const started = await startMeal(q, 'xqzzy blorp');
      await started.handle.result().catch(() => undefined);
      return started;
    });
    const closed = await closedWithEvents(mealId);
    expect(closed.outcome).toBe('failed');
    expect(closed.steps.map((s) => s.name)).not.toContain('publish');
    expect(closed.events.map((e) => e.event.data)).toEqual([{ mealId, userId, outcome: 'failed' }]);
  }, 60_000);

  it('a close whose commit was not acknowledged: the retry finds the outcome set and queues nothing more', async () => {
    const q = `close-${randomUUID()}`;
    const real = realActivities();
    let calls = 0;
    const { mealId } = await withWorker(
      q,
      {
        async closeMeal(input) {
          calls++;
          await real.closeMeal(input); // commits the outcome and its event
          if (Context.current().info.attempt === 1) throw new Error('connection lost after commit');
        },
      },
      async () => {
        const started = await startMeal(q);
        await started.handle.result();
        return started;
      },
    );
    expect(calls).toBe(2);
    const closed = await closedWithEvents(mealId);
    expect(closed.outcome).toBe('completed');
    expect(closed.events).toHaveLength(1);
    expect(closed.events[0]!.event.time).toBe(closed.closedAt!.toISOString());
  }, 60_000);

  it('the outcome and the event are one statement: a failure in the event part leaves neither', async () => {
    const meals = createMealRepository(h.database.db);
    const mealId = randomUUID();
    const userId = h.newUser();
    await meals.insert({
      id: mealId,
      userId,
      description: 'a banana',
      eatenAt: new Date(),
      mealType: 'snack',
      workflowId: `meal-${mealId}`,
    });
    const event = (closedAt: Date) =>
      buildDomainEvent(
        'meal.analyzed',
        { mealId, userId, outcome: 'failed' },
        { key: mealId, time: closedAt.toISOString() },
      );
    // An event the outbox refuses (no id): the insert fails after the close's update ran in the same statement.
    const failing = meals.close(mealId, 'failed', 'test', [], undefined, (closedAt, closedNow) =>
      queueDomainEventCte({ ...event(closedAt), id: null as unknown as string }, closedNow),
    );
    // 23502 not_null_violation, from the event's insert: the whole statement (the close's update too) failed.
    await expect(failing).rejects.toMatchObject({ cause: { code: '23502' } });
    expect(await closedWithEvents(mealId)).toMatchObject({ outcome: null, events: [] });

    const first = await meals.close(mealId, 'failed', 'test', [], undefined, (closedAt, closedNow) =>
      queueDomainEventCte(event(closedAt), closedNow),
    );
    expect(first).toBe(true);
    const closed = await closedWithEvents(mealId);
    expect(closed.outcome).toBe('failed');
    expect(closed.events).toHaveLength(1);
    expect(closed.events[0]!.event.time).toBe(closed.closedAt!.toISOString());
    // A second close changes nothing and queues nothing (its event would have a new time, so a new body):
    // first outcome wins.
    const second = await meals.close(mealId, 'completed', undefined, [], [], (closedAt, closedNow) =>
      queueDomainEventCte({ ...event(closedAt), id: `second-${mealId}` }, closedNow),
    );
    expect(second).toBe(false);
    const after = await closedWithEvents(mealId);
    expect(after.outcome).toBe('failed');
    const [{ n }] = (await h.database.db.execute(
      sql`select count(*)::int as n from app.event_outbox where id = ${`second-${mealId}`}`,
    )) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it('warnings are written with a completed close, and only by the close that set the outcome', async () => {
    const q = `close-${randomUUID()}`;
    const { mealId, userId } = await withWorker(
      q,
      { mealFeedback: () => Promise.reject(ApplicationFailure.nonRetryable('feedback is down', 'Test')) },
      async () => {
        const started = await startMeal(q);
        await started.handle.result();
        return started;
      },
    );
    const meals = createMealRepository(h.database.db);
    const warnings = (await meals.getOwned(mealId, userId))?.analysis?.warnings as string[];
    expect(warnings.join(' ')).toMatch(/feedback/i); // the optional step's failure, written by the close
    expect(await meals.close(mealId, 'completed', undefined, [], ['late warning'])).toBe(false);
    expect((await meals.getOwned(mealId, userId))?.analysis?.warnings).toEqual(warnings);
  }, 60_000);
});
