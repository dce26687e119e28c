import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Database } from '../../src/db/client';
import { photo } from '../fixtures/images';
import type { WellflowProcess } from './fault-processes';
import { eventually, type Harness } from './harness';

/** Foods the nutrition table knows: every meal below completes, so any other outcome is the fault's doing. */
const DESCRIPTIONS = [
  '2 eggs and toast',
  'a banana',
  '200 g chicken breast and a medium banana',
  'a bowl of oatmeal with milk',
  'an apple',
  'grilled salmon with rice and broccoli',
];

/** What a fault test posted and got back 202 for: the meals that must each complete exactly once. */
export interface PostedMeals {
  userId: string;
  token: string;
  mealIds: string[];
}

export async function newPerson(h: Pick<Harness, 'token' | 'newUser'>): Promise<PostedMeals> {
  const userId = h.newUser();
  return { userId, token: await h.token(userId), mealIds: [] };
}

/**
 * Posts `count` text meals one after another (each with its own Idempotency-Key, as a client that retries would)
 * and records the accepted ones. Every request must be accepted: this is the load before the fault.
 */
export async function postTextMeals(h: Harness, who: PostedMeals, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await h.call('POST', '/v1/meals', {
      token: who.token,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { description: DESCRIPTIONS[(who.mealIds.length + i) % DESCRIPTIONS.length], mealType: 'lunch' },
    });
    expect(res.status, res.text).toBe(202);
    who.mealIds.push(res.json.mealId as string);
  }
}

/** A photo meal with its description: the preprocess step runs on the heavy queue, the rest as a text meal. */
export async function postPhotoMeal(h: Harness, who: PostedMeals): Promise<void> {
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(await photo('jpeg'))], { type: 'image/jpeg' }), 'lunch.jpg');
  form.set('description', 'a banana and 2 eggs');
  const res = await h.call('POST', '/v1/meals', { token: who.token, form });
  expect(res.status, res.text).toBe(202);
  who.mealIds.push(res.json.mealId as string);
}

/** How many of the meals have their outcome written (the close step ran). */
export async function closedCount(database: Database, mealIds: string[]): Promise<number> {
  const rows = await database.sql<{ n: number }[]>`
    select count(*)::int as n from app.meals where id = any(${mealIds}::uuid[]) and outcome is not null`;
  return rows[0]!.n;
}

/**
 * Waits until every meal has an outcome; after a fault, recovery rides on retry backoff and task timeouts. When
 * that does not happen, the error says where the open meals are (status and steps, as the API shows them).
 */
export async function waitAllClosed(h: Harness, who: PostedMeals, worker?: WellflowProcess, ms = 240_000) {
  try {
    await eventually(async () => (await closedCount(h.database, who.mealIds)) === who.mealIds.length, ms, 500);
  } catch (err) {
    const open = await h.database.sql<{ id: string }[]>`
      select id from app.meals where id = any(${who.mealIds}::uuid[]) and outcome is null limit 3`;
    const views = await Promise.all(open.map(async ({ id }) => explainRun(h, `meal-${id}`)));
    const warnings = (worker?.lines ?? []).filter((l) => Number(l.level) >= 40).slice(-5);
    throw new Error(
      `${(err as Error).message}; ${open.length}+ meals open, e.g. ${views.join(' | ')}; ` +
        `the worker's last warnings: ${JSON.stringify(warnings)}; the worker: ${worker?.describe() ?? 'in-process'}`,
    );
  }
}

/**
 * Every meal completed exactly once: one meal row each (no duplicate from a retried request), each closed
 * `completed` once, exactly one analysis row each, and exactly one Temporal run per meal (found through the
 * person's `UserId` search attribute), that run completed.
 */
export async function expectEachCompletedOnce(database: Database, temporal: Client, who: PostedMeals) {
  const meals = await database.sql<{ id: string; outcome: string | null; reason: string | null; closed: boolean }[]>`
    select id, outcome, outcome_reason as reason, closed_at is not null as closed from app.meals
    where user_id = ${who.userId}`;
  expect(meals.map((m) => m.id).sort()).toEqual([...who.mealIds].sort());
  expect(meals.filter((m) => m.outcome !== 'completed' || !m.closed)).toEqual([]);

  const analyses = await database.sql<{ meal_id: string; n: number }[]>`
    select meal_id, count(*)::int as n from app.meal_analyses where meal_id = any(${who.mealIds}::uuid[])
    group by meal_id`;
  expect(analyses.length).toBe(who.mealIds.length);
  expect(analyses.filter((a) => a.n !== 1)).toEqual([]);

  const expected = who.mealIds.map((id) => `meal-${id}`).sort();
  // Visibility is updated asynchronously after a run closes: wait until it lists every run as closed.
  const runs = await eventually(async () => {
    const found: { workflowId: string; status: string }[] = [];
    for await (const wf of temporal.workflow.list({ query: `UserId = "${who.userId}"` }))
      found.push({ workflowId: wf.workflowId, status: wf.status.name });
    return found.length >= expected.length && found.every((r) => r.status !== 'RUNNING') ? found : undefined;
  }, 60_000);
  expect(runs.map((r) => r.workflowId).sort()).toEqual(expected);
  expect(runs.filter((r) => r.status !== 'COMPLETED')).toEqual([]);
}

/** Where a run stands, for a failure message: its status, pending activities and its last history events. */
async function explainRun(h: Harness, workflowId: string): Promise<string> {
  try {
    const handle = h.temporal.workflow.getHandle(workflowId);
    const desc = await handle.describe();
    const pending = (desc.raw.pendingActivities ?? []).map((p) => `${p.activityType?.name}#${p.attempt}`);
    const events = (await handle.fetchHistory()).events ?? [];
    const last = events.slice(-8).map((e) => String(e.eventType));
    let failure = '';
    if (desc.status.name === 'FAILED') {
      const chain: string[] = [];
      let e = await handle.result().then(
        () => undefined,
        (err: unknown) => err as Error | undefined,
      );
      for (; e; e = e.cause as Error | undefined) chain.push(e.message);
      failure = ` failure=${chain.join(' <- ')}`;
    }
    return `${workflowId} ${desc.status.name} history=${events.length} pending=[${pending}] last=[${last}]${failure}`;
  } catch (err) {
    return `${workflowId}: ${(err as Error).message}`;
  }
}
