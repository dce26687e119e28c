import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDomainEvent } from '../../src/adapters/events/outbox';
import { buildDomainEvent, parseDomainEvent } from '../../src/adapters/events/schema';
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

  it('the outcome and the event commit together: a failure after queueing leaves neither', async () => {
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
    const queue = (closedAt: Date) =>
      buildDomainEvent(
        'meal.analyzed',
        { mealId, userId, outcome: 'failed' },
        { key: mealId, time: closedAt.toISOString() },
      );
    const failing = meals.close(mealId, 'failed', 'test', [], undefined, async (tx, closedAt) => {
      await queueDomainEvent(tx, queue(closedAt));
      throw new Error('the transaction fails after the event was queued');
    });
    await expect(failing).rejects.toThrow(/after the event was queued/);
    expect(await closedWithEvents(mealId)).toMatchObject({ outcome: null, events: [] });

    await meals.close(mealId, 'failed', 'test', [], undefined, (tx, closedAt) => queueDomainEvent(tx, queue(closedAt)));
    const closed = await closedWithEvents(mealId);
    expect(closed.outcome).toBe('failed');
    expect(closed.events).toHaveLength(1);
    // A second close changes nothing and does not call back: first outcome wins.
    let calledBack = false;
    await meals.close(mealId, 'completed', undefined, [], [], async () => {
      calledBack = true;
    });
    expect(calledBack).toBe(false);
    expect((await closedWithEvents(mealId)).outcome).toBe('failed');
  });
});
