import { sql } from 'drizzle-orm';
import { WORKFLOW_TYPES } from '../../src/api/services/runs/run-views';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, eventually, startHarness } from '../support/harness';
import { MEAL_POLICY_ENV, mealQueries, photoForm } from '../support/meal-requests';

/**
 * mealAnalysis policy paths on a real dev server and database with no model server: required step fails,
 * optional step fails, needs-input answered, needs-input timed out, cancel; and the step policy table
 * GET /v1/workflow-types shows. NATS_URL points at a closed port: the meal's event waits in the outbox, and the
 * meal does not notice. Optional-step failures, retries, timeouts and crashes of the local steps:
 * meal-local-steps.test.ts. Upload validation: meal-input-validation.test.ts.
 */
let h: Harness;
const { count, waitStatus } = mealQueries(() => h);
beforeAll(async () => {
  h = await startHarness({ env: MEAL_POLICY_ENV });
});
afterAll(async () => {
  await h?.stop();
});

const stepMap = (meal: any) => Object.fromEntries(meal.steps.map((s: any) => [s.name, s.status]));

describe('mealAnalysis step policies', () => {
  it('NATS down: the meal completes without a warning, and its event waits in the outbox', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', {
      token,
      body: { description: '2 eggs and a slice of toast', mealType: 'breakfast' },
    });
    expect(res.status).toBe(202);
    const meal = await waitStatus(token, res.json.mealId, 'completed');
    expect(stepMap(meal)).toEqual({
      load: 'completed',
      preprocess: 'skipped',
      recognize: 'skipped',
      estimate: 'completed',
      feedback: 'completed',
      record: 'completed',
      close: 'completed',
    });
    expect(meal.warnings.some((w: string) => /did not complete/.test(w))).toBe(false); // no step gave up
    // Queued by the close, in the outcome's transaction; the relay cannot reach NATS, so it is still waiting.
    const queued = await h.database.db.execute(
      sql`select published_at from app.event_outbox where id = ${`meal.analyzed:${res.json.mealId}`}`,
    );
    expect(queued).toEqual([{ published_at: null }]);
    expect(meal.totals.kcal).toBeGreaterThan(150);
    expect(meal.feedback.length).toBeGreaterThan(0);
    for (const f of meal.feedback)
      expect(f).toEqual(
        expect.objectContaining({
          code: expect.any(String),
          severity: expect.any(String),
          message: expect.any(String),
          source: expect.any(String),
        }),
      );
  });

  it('fails the meal with a visible reason when a required step fails (nothing recognisable)', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const res = await h.call('POST', '/v1/meals', { token, body: { description: 'qwzx blorf and some vrrn' } });
    const meal = await waitStatus(token, res.json.mealId, 'failed');
    expect(meal.error).toMatch(/NoRecognizableFood/);
    expect(stepMap(meal)).toMatchObject({
      load: 'completed',
      estimate: 'failed',
      feedback: 'skipped',
      record: 'skipped',
      close: 'completed',
    });
    // The failure is announced too: queued by the close (NATS is down in this file, which the meal never sees).
    const queued = await h.database.db.execute(
      sql`select body::jsonb #>> '{data,outcome}' as o from app.event_outbox where id = ${`meal.analyzed:${meal.mealId}`}`,
    );
    expect(queued).toEqual([{ o: 'failed' }]);
    expect(await count('meal_analyses', user)).toBe(0);
    const run = await eventually(async () => {
      const r = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token });
      return r.json.status === 'failed' ? r : undefined;
    });
    expect(run.json.status).toBe('failed');
    expect(run.json.error).toMatch(/NoRecognizableFood/);
  });

  it('waits in needs_input for a photo with no model server, and continues when the person answers', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const res = await h.call('POST', '/v1/meals', { token, form: await photoForm({ mealType: 'lunch' }) });
    expect(res.status).toBe(202);
    const waiting = await waitStatus(token, res.json.mealId, 'needs_input');
    expect(waiting.question).toMatch(/what did you eat/i);
    expect(waiting.hasImage).toBe(true);
    expect(stepMap(waiting)).toMatchObject({ load: 'completed', preprocess: 'completed', recognize: 'skipped' });

    const bad = await h.call('POST', `/v1/meals/${res.json.mealId}/description`, {
      token,
      body: { description: '   ' },
    });
    expect(bad.status).toBe(422);
    const answer = await h.call('POST', `/v1/meals/${res.json.mealId}/description`, {
      token,
      body: { description: 'a bowl of oatmeal with blueberries' },
    });
    expect(answer.status).toBe(202);
    const done = await waitStatus(token, res.json.mealId, 'completed');
    expect(done.description).toBe('a bowl of oatmeal with blueberries');
    expect(done.items.some((i: any) => /oat/i.test(i.name) && i.recognized)).toBe(true);

    const again = await h.call('POST', `/v1/meals/${res.json.mealId}/description`, {
      token,
      body: { description: 'toast' },
    });
    expect(again.status).toBe(409);
    expect(again.json.error.category).toBe('conflict');
  });

  it('ends a meal nobody describes after MEAL_INPUT_TIMEOUT, with the reason', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', { token, form: await photoForm() });
    const meal = await waitStatus(token, res.json.mealId, 'failed', 30_000);
    expect(meal.error).toMatch(/NeedsInputTimeout: no description was given within 4s/);
  });

  it('cancels a waiting meal: the run stops and the meal is marked cancelled', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', { token, form: await photoForm() });
    await waitStatus(token, res.json.mealId, 'needs_input');
    const cancel = await h.call('POST', `/v1/workflows/${res.json.workflowId}/cancel`, { token });
    expect(cancel.status).toBe(202);
    const meal = await waitStatus(token, res.json.mealId, 'cancelled');
    expect(stepMap(meal)).toMatchObject({ close: 'completed' });
    const answer = await h.call('POST', `/v1/meals/${res.json.mealId}/description`, {
      token,
      body: { description: 'toast' },
    });
    expect(answer.status).toBe(409);
  });
});

describe('GET /v1/workflow-types', () => {
  it('lists every workflow type with its input schema and the step policy table the workflow runs with', async () => {
    const res = await h.call('GET', '/v1/workflow-types', { token: await h.token(h.newUser()) });
    expect(res.status).toBe(200);
    const meal = res.json.items.find((t: any) => t.type === 'mealAnalysis');
    expect(meal.inputSchema.required).toEqual(expect.arrayContaining(['mealId', 'userId']));
    // The start request's schema is the one POST /v1/meals validates with (limits included).
    expect(meal.request).toMatchObject({ method: 'POST', path: '/v1/meals' });
    expect(meal.request.bodySchema.properties.description.maxLength).toBe(2000);
    expect(
      res.json.items.find((t: any) => t.type === 'journalScreening').request.bodySchema.properties.text.maxLength,
    ).toBe(10_000);
    expect(meal.steps.map((s: any) => s.name)).toEqual([
      'load',
      'preprocess',
      'recognize',
      'estimate',
      'feedback',
      'record',
      'close',
    ]);
    const estimate = meal.steps.find((s: any) => s.name === 'estimate');
    expect(estimate).toMatchObject({
      local: true,
      required: true,
      retry: { nonRetryableErrorTypes: ['NoRecognizableFood'] },
    });
    // A text meal runs in one workflow task: every step but the image and model ones is a local activity.
    expect(meal.steps.filter((s: any) => s.local).map((s: any) => s.name)).toEqual([
      'load',
      'estimate',
      'feedback',
      'record',
      'close',
    ]);
    for (const s of meal.steps) expect(s.reason.length).toBeGreaterThan(20);
    expect(meal.steps.find((s: any) => s.name === 'preprocess').queue).toBe('heavy');
    expect(res.json.items.map((t: any) => t.type)).toContain('mealBatch');
    // Every workflow the workers serve explains itself, and every step says why its values are what they are.
    expect(res.json.items.map((t: any) => t.type).sort()).toEqual([...WORKFLOW_TYPES].sort());
    for (const t of res.json.items)
      for (const s of t.steps) expect(s.reason.length, `${t.type}.${s.name}`).toBeGreaterThan(20);
  });
});
