import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FOOD_TABLE } from '../../src/domain/nutrition/food-table';
import { type FakeInferenceServer, startFakeInferenceServer } from '../support/fake-inference-server';
import { type FakeTrainer, startFakeTrainer } from '../support/fake-trainer';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * Model retraining end to end on the real stack (docs/model-retraining.md): a fake trainer speaking the job API
 * and the fake KServe v2 server serving the model in use (version 1) beside candidates (2: better, 3: worse,
 * 4: good on the evaluation set but crashing on real photos), as real local HTTP servers.
 */
const MODEL = 'food-classifier-retraining';
const LABELS = ['salmon', 'rice', 'egg', 'apple', 'banana', 'pasta'];
let h: Harness;
let model: FakeInferenceServer;
let trainer: FakeTrainer;
let evalDir: string;
let admin: string;

beforeAll(async () => {
  model = await startFakeInferenceServer({ models: [MODEL] });
  trainer = await startFakeTrainer();
  evalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-eval-'));
  const entries = [];
  for (const [i, label] of LABELS.entries()) {
    const bytes = await sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: i * 40, g: 90, b: 30 } },
    })
      .jpeg()
      .toBuffer();
    fs.writeFileSync(path.join(evalDir, `${label}.jpg`), bytes);
    entries.push({ file: `${label}.jpg`, label });
    const sha = createHash('sha256').update(bytes).digest('hex');
    const right = [{ label, confidence: 0.8 }];
    const wrong = [{ label: 'plate', confidence: 0.8 }];
    model.answerFor(sha, i < 4 ? right : wrong); // in use: 4 of 6
    model.answerForVersion('2', sha, i < 5 ? right : wrong); // better: 5 of 6
    model.answerForVersion('3', sha, i < 1 ? right : wrong); // worse: 1 of 6
    model.answerForVersion('4', sha, i < 5 ? right : wrong);
  }
  fs.writeFileSync(path.join(evalDir, 'labels.json'), JSON.stringify(entries));
  for (const v of ['2', '3', '4']) {
    model.versions.add(v);
    model.versionDefaults.set(v, [{ label: 'banana', confidence: 0.9 }]);
  }
  model.defaultItems = [{ label: 'banana', confidence: 0.9 }];
  h = await startHarness({
    env: {
      INFERENCE_URL: model.url,
      INFERENCE_MODEL: MODEL,
      INFERENCE_TIMEOUT_MS: '2000',
      TRAINER_URL: trainer.url,
      TRAINER_POLL_SECONDS: '1',
      RETRAINING_EVAL_DIR: evalDir,
      RETRAINING_CANARY_SHARE: '0.5',
      RETRAINING_CANARY_WINDOW: '24s',
      RETRAINING_CANARY_MIN_MEALS: '2',
      RETRAINING_APPROVAL_TIMEOUT: '10m',
    },
  });
  admin = await h.token('admin-1', 'admin');
});

afterAll(async () => {
  // The database is shared with later files: leave no unfinished run and no routing for this model behind.
  if (h) {
    await h.database
      .sql`update app.model_retrainings set finished_at = now(), status = 'cancelled' where finished_at is null`;
    await h.database.sql`delete from app.model_routing where slot = ${MODEL}`;
    await h.stop();
  }
  await model?.close();
  await trainer?.close();
  fs.rmSync(evalDir, { recursive: true, force: true });
});

beforeEach(() => {
  trainer.runningPolls = 2;
  trainer.failAfterPolls = undefined;
  model.failingVersions.clear();
});

const start = async () => {
  const res = await h.call('POST', '/v1/admin/model-retrainings', { token: admin });
  expect(res.status, res.text).toBe(202);
  return res.json.id as string;
};
const waitFor = (id: string, statuses: string[], ms = 60_000) =>
  eventually(async () => {
    const res = await h.call('GET', `/v1/admin/model-retrainings/${id}`, { token: admin });
    return statuses.includes(res.json?.status) ? res.json : undefined;
  }, ms);
const steps = (run: any) => run.steps.map((s: any) => s.step);
const photo = async (n: number) =>
  sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: n % 250, b: 40 } } })
    .jpeg()
    .toBuffer();
const uploadMeals = async (count: number) => {
  const token = await h.token(h.newUser());
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(await photo(i))], { type: 'image/jpeg' }), 'meal.jpg');
    const res = await h.call('POST', '/v1/meals', { token, form });
    expect(res.status).toBe(202);
    ids.push(res.json.mealId);
  }
  return { token, ids };
};
const routing = async () => (await h.call('GET', '/v1/admin/model-retrainings', { token: admin })).json.routing;

describe('model retraining', () => {
  it('is admin-only and refuses a decision while no candidate awaits approval', async () => {
    expect((await h.call('POST', '/v1/admin/model-retrainings', { token: await h.token('u1') })).status).toBe(403);
    const missing = await h.call('POST', '/v1/admin/model-retrainings/model-retraining-nope/approve', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('model_retraining_not_found');
  });

  it('an approved candidate is canaried on a share of photos and promoted; the version shows on analyses and /health/detailed', async () => {
    trainer.candidate = { model: MODEL, version: '2' };
    // A row left unfinished by a run that no longer exists (terminated) does not block the next run.
    await h.database
      .sql`insert into app.model_retrainings (id, requested_by, status) values ('model-retraining-gone', 'admin-1', 'running')`;
    const id = await start();
    const [gone] = await h.database
      .sql`select status, finished_at from app.model_retrainings where id = 'model-retraining-gone'`;
    expect(gone!.status).toBe('failed');
    expect(gone!.finished_at).not.toBeNull();
    const conflict = await h.call('POST', '/v1/admin/model-retrainings', { token: admin });
    expect(conflict.status).toBe(409);
    const waiting = await waitFor(id, ['awaiting_approval']);
    expect(waiting.evaluation.current).toMatchObject({ samples: 6, top1: 0.6667 });
    expect(waiting.evaluation.candidate).toMatchObject({ samples: 6, top1: 0.8333 });
    expect(waiting.evaluation.gate.passed).toBe(true);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(h.config.dataDir, 'retraining', id, 'manifest.json'), 'utf8'),
    );
    expect(manifest.entries.filter((e: any) => e.split === 'evaluation')).toHaveLength(6);
    expect(manifest.entries[0].sha256).toMatch(/^[0-9a-f]{64}$/);

    const approved = await h.call('POST', `/v1/admin/model-retrainings/${id}/approve`, { token: admin });
    expect(approved.status, approved.text).toBe(200);
    const again = await h.call('POST', `/v1/admin/model-retrainings/${id}/approve`, { token: admin });
    expect(again.status).toBe(409); // the validator: already decided
    await waitFor(id, ['canary']);
    expect(await routing()).toMatchObject({ candidate: { model: MODEL, version: '2' }, canaryShare: 0.5 });
    const before = model.inferByVersion.get('2') ?? 0;
    const { token, ids } = await uploadMeals(14);
    for (const mealId of ids)
      await eventually(async () => (await h.call('GET', `/v1/meals/${mealId}`, { token })).json.status === 'completed');
    expect((model.inferByVersion.get('2') ?? 0) - before).toBeGreaterThanOrEqual(2);

    const done = await waitFor(id, ['promoted', 'rolled_back'], 60_000);
    expect(done.status, JSON.stringify(done.steps)).toBe('promoted');
    expect(steps(done)).toEqual([
      'snapshot',
      'training_submitted',
      'trained',
      'gate',
      'approved',
      'canary_started',
      'canary_decided',
      'promoted',
    ]);
    expect(await routing()).toMatchObject({ current: { model: MODEL, version: '2' }, canaryShare: 0 });
    const rows = await h.database
      .sql`select model, model_version from app.meal_analyses where meal_id = any(${ids}::uuid[])`;
    expect(rows.every((r) => r.model === MODEL && ['1', '2'].includes(r.model_version as string))).toBe(true);
    const health = await h.callOps('GET', '/health/detailed');
    expect(JSON.stringify(health.json)).toContain(`model ${MODEL} version 2 in use`);
  });

  it('a worse candidate stops at the gate with a report', async () => {
    trainer.candidate = { model: MODEL, version: '3' };
    const id = await start();
    const done = await waitFor(id, ['stopped_at_gate', 'awaiting_approval', 'failed']);
    expect(done.status).toBe('stopped_at_gate');
    expect(done.evaluation.gate.passed).toBe(false);
    expect(done.reason).toMatch(/top-1 16\.7 % vs 83\.3 % in use/);
    expect(steps(done)).toEqual(['snapshot', 'training_submitted', 'trained', 'gate']);
    expect((await routing()).current.version).toBe('2'); // unchanged
  });

  it('the labelled set is the photos people confirmed or corrected since the previous run', async () => {
    const foodId = (name: string) => FOOD_TABLE.foods.find((f) => f.name === name)!.id;
    const { token, ids } = await uploadMeals(4);
    for (const mealId of ids)
      await eventually(async () => (await h.call('GET', `/v1/meals/${mealId}`, { token })).json.status === 'completed');
    const [confirmedOnly, correctedOnly, both] = ids as [string, string, string, string];
    const confirm = (mealId: string, t = token) => h.call('POST', `/v1/meals/${mealId}/confirm`, { token: t });
    const first = await confirm(confirmedOnly);
    expect(first.status, first.text).toBe(200);
    expect((await confirm(confirmedOnly)).json.confirmedAt).toBe(first.json.confirmedAt); // the first time is kept
    const shown = (await h.call('GET', `/v1/meals/${confirmedOnly}`, { token })).json;
    expect(shown.confirmedAt).toBe(first.json.confirmedAt);
    expect(shown.model).toMatchObject({ name: MODEL, version: '2' });
    expect((await confirm(confirmedOnly, await h.token(h.newUser()))).status).toBe(404); // not theirs
    expect((await confirm('not-a-meal')).status).toBe(404);
    expect((await confirm(both)).status).toBe(200);
    const correct = async (mealId: string, items: unknown[]) => {
      const res = await h.call('PATCH', `/v1/meals/${mealId}/items`, { token, body: { items } });
      expect(res.status, res.text).toBe(202);
      await eventually(async () => {
        const m = (await h.call('GET', `/v1/meals/${mealId}`, { token })).json;
        return m.correction?.status === 'applied';
      });
    };
    await correct(correctedOnly, [{ description: '2 eggs' }]);
    await correct(both, [{ foodId: foodId('salmon'), amount: 150, unit: 'g' }]); // the later word wins

    trainer.candidate = { model: MODEL, version: '3' };
    const id = await start();
    expect((await waitFor(id, ['stopped_at_gate', 'awaiting_approval', 'failed'])).status).toBe('stopped_at_gate');
    const manifest = JSON.parse(
      fs.readFileSync(path.join(h.config.dataDir, 'retraining', id, 'manifest.json'), 'utf8'),
    );
    const keys = await h.database.sql`select id, image_key from app.meals where id = any(${ids}::uuid[])`;
    const keyOf = (mealId: string) => keys.find((k) => k.id === mealId)!.image_key as string;
    const labelled = manifest.entries.filter((e: any) => e.split !== 'evaluation');
    const entryOf = (mealId: string) => labelled.find((e: any) => e.imageKey === keyOf(mealId));
    expect(entryOf(confirmedOnly)).toMatchObject({ label: foodId('banana'), source: 'confirmation' });
    expect(entryOf(correctedOnly)).toMatchObject({ label: foodId('egg'), source: 'correction' });
    expect(entryOf(both)).toMatchObject({ label: foodId('salmon'), source: 'correction' });
    expect(entryOf(ids[3]!)).toBeUndefined(); // neither confirmed nor corrected
    expect(labelled).toHaveLength(3);
  });

  it('a canary that raises the error rate rolls back, and every photo still gets an answer', async () => {
    trainer.candidate = { model: MODEL, version: '4' };
    const id = await start();
    await waitFor(id, ['awaiting_approval']);
    expect((await h.call('POST', `/v1/admin/model-retrainings/${id}/approve`, { token: admin })).status).toBe(200);
    await waitFor(id, ['canary']);
    model.failingVersions.add('4');
    const { token, ids } = await uploadMeals(10);
    for (const mealId of ids)
      await eventually(async () => (await h.call('GET', `/v1/meals/${mealId}`, { token })).json.status === 'completed');
    const done = await waitFor(id, ['rolled_back', 'promoted'], 60_000);
    expect(done.status).toBe('rolled_back');
    expect(done.reason).toMatch(/^error rate 100\.0 %/);
    expect(steps(done).slice(-2)).toEqual(['canary_decided', 'rolled_back']);
    const r = await routing();
    expect(r.current.version).toBe('2');
    expect(r.candidate).toBeUndefined();
  });

  it('a training job that fails mid-way ends the run failed, with the reason', async () => {
    trainer.failAfterPolls = 1;
    const id = await start();
    const done = await waitFor(id, ['failed']);
    expect(done.reason).toMatch(/training job failed: out of GPU memory/);
  });

  it('killing the worker during the training wait resubmits nothing', { timeout: 240_000 }, async () => {
    trainer.candidate = { model: MODEL, version: '3' };
    trainer.runningPolls = 70; // longer than the heavy worker's 30 s shutdown grace: the attempt dies with the worker
    const submitsBefore = trainer.submitCalls;
    const jobsBefore = trainer.jobs.size;
    const id = await start();
    const job = await eventually(async () => {
      const j = [...trainer.jobs.values()].find((x) => x.key === id);
      return j && j.polls >= 2 ? j : undefined;
    });
    await h.stopWorkers();
    const pollsAtStop = job.polls;
    await h.startWorkers();
    const done = await waitFor(id, ['stopped_at_gate', 'failed'], 200_000);
    expect(done.status).toBe('stopped_at_gate');
    expect(job.polls).toBeGreaterThan(pollsAtStop); // the new worker polled the same job
    expect(trainer.submitCalls - submitsBefore).toBe(1);
    expect(trainer.jobs.size - jobsBefore).toBe(1);
  });
});
