import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import { photo } from '../fixtures/images';
import { type Harness, eventually, startHarness } from './harness';
import { seedAnalysedMeals } from './seed-meals';

/**
 * Records real workflow histories for the replay test (tests/integration/replay-histories.test.ts): every
 * workflow type driven through the real API and workers to completion (or a resting state), each history
 * saved with `historyToJSON` as `<dir>/<workflowType>-<case>.json`.
 *
 * Not a test file (vitest's include is `tests/**\/*.test.ts`): to re-record, call `recordHistories(dir)` from a
 * throw-away test file, as tests/fixtures/histories/README.md shows. Payloads are encrypted with
 * REPLAY_TEST_KEY, a test-only key that the replay test uses to decode them.
 */
export const REPLAY_TEST_KEY = 'replay1:EVAteIQe1kw9wyBrKRbKaU8bgj2obREKZvCVYmzV01U=';

/** The one `high` text of tests/integration/crisis-case.test.ts. */
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
const MODERATE_TEXT = 'Lately I keep cutting myself when things get bad';
const CALM_TEXT = 'Went for a long walk in the park after work and felt calm.';
const NO_FOOD = 'xqzzy blorp';

/** What each recorded file holds: its name (without .json), the run's final status and its event count. */
export interface RecordedHistory {
  name: string;
  workflowId: string;
  status: string;
  events: number;
}

export async function recordHistories(outDir: string): Promise<RecordedHistory[]> {
  // Crisis timings: CRISIS_TIME_SCALE 0.0001 times this policy gives `high` a 2 s acknowledgement window and
  // follow-ups 1 s and 2 s after resolution (the policy travels in the case's input, so replay needs no file).
  const policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-replay-policy-'));
  const policyFile = path.join(policyDir, 'crisis-policy.json');
  fs.writeFileSync(
    policyFile,
    JSON.stringify({
      high: { ackDeadlineMs: 20_000_000, followUpsMs: [10_000_000, 20_000_000] },
      moderate: { ackDeadlineMs: 40_000_000, followUpsMs: [10_000_000] },
    }),
  );
  const h = await startHarness({
    env: {
      WELLFLOW_ENCRYPTION_KEY: REPLAY_TEST_KEY,
      CRISIS_TIME_SCALE: '0.0001',
      CRISIS_POLICY_FILE: policyFile,
      MEAL_INPUT_TIMEOUT: '10m',
    },
  });
  const recorded: RecordedHistory[] = [];
  try {
    fs.mkdirSync(outDir, { recursive: true });
    const save = async (name: string, workflowId: string) => {
      const status = await settle(h, workflowId);
      const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
      fs.writeFileSync(path.join(outDir, `${name}.json`), historyToJSON(history));
      recorded.push({ name, workflowId, status, events: history.events?.length ?? 0 });
    };

    const user = h.newUser();
    const token = await h.token(user);
    const staff = await h.token('nurse-replay', 'staff');
    const admin = await h.token('ops-replay', 'admin');
    const post = async (url: string, body: unknown, as = token) => {
      const res = await h.call('POST', url, { token: as, body });
      if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${res.text}`);
      return res.json;
    };
    const postPhoto = async () => {
      const form = new FormData();
      form.set('image', new Blob([new Uint8Array(await photo('jpeg'))], { type: 'image/jpeg' }), 'meal.jpg');
      const res = await h.call('POST', '/v1/meals', { token, form });
      if (res.status !== 202) throw new Error(`photo meal: ${res.status} ${res.text}`);
      return res.json as { mealId: string; workflowId: string };
    };
    const mealStatus = (mealId: string, status: string) =>
      eventually(async () => (await h.call('GET', `/v1/meals/${mealId}`, { token })).json.status === status);

    // mealAnalysis
    const text = await post('/v1/meals', { description: '2 eggs and a banana', mealType: 'breakfast' });
    await save('mealAnalysis-text-completed', text.workflowId);
    const bad = await post('/v1/meals', { description: NO_FOOD });
    await save('mealAnalysis-estimate-failed', bad.workflowId);
    const described = await postPhoto();
    await mealStatus(described.mealId, 'needs_input');
    await post(`/v1/meals/${described.mealId}/description`, { description: 'a bowl of oatmeal with blueberries' });
    await save('mealAnalysis-photo-needs-input-described', described.workflowId);
    const waiting = await postPhoto();
    await mealStatus(waiting.mealId, 'needs_input');
    await post(`/v1/workflows/${waiting.workflowId}/cancel`, {});
    await save('mealAnalysis-needs-input-cancelled', waiting.workflowId);

    // mealBatch: three items, one of them unrecognisable.
    const batch = await post('/v1/meals/batch', {
      items: [{ description: 'a banana' }, { description: NO_FOOD }, { description: 'two slices of toast' }],
      concurrency: 2,
    });
    await save('mealBatch-three-items-one-failed', batch.workflowId);

    // journalScreening and crisisCase
    const calm = await post('/v1/journal-entries', { text: CALM_TEXT, mood: 4 });
    await save('journalScreening-none', calm.workflowId);
    const crisisUser = h.newUser();
    const crisisToken = await h.token(crisisUser);
    const high = await post('/v1/journal-entries', { text: HIGH_TEXT, mood: 1 }, crisisToken);
    await save('journalScreening-high-opens-case', high.workflowId);
    const caseRow = await eventually(async () => {
      const rows = await h.database.db.execute(
        sql`select id, workflow_id from app.crisis_cases where user_id = ${crisisUser} limit 1`,
      );
      return rows[0] as { id: string; workflow_id: string } | undefined;
    });
    const timeline = async () =>
      (
        (await h.call('GET', `/v1/crisis/cases/${caseRow.id}`, { token: staff })).json.timeline as { type: string }[]
      ).map((e) => e.type);
    // A second, lower-tier entry joins the open case (the `flagged` signal), then nobody answers for 2 s.
    const joined = await post('/v1/journal-entries', { text: MODERATE_TEXT, mood: 2 }, crisisToken);
    await settle(h, joined.workflowId);
    await eventually(async () => {
      const t = await timeline();
      return t.includes('flagged') && t.includes('escalated');
    });
    await post(`/v1/crisis/cases/${caseRow.id}/acknowledge`, {}, staff);
    await post(`/v1/crisis/cases/${caseRow.id}/acknowledge`, {}, staff); // a duplicate: answered, no new event
    await post(`/v1/crisis/cases/${caseRow.id}/resolve`, { outcome: 'contacted_safe' }, staff);
    await save('crisisCase-escalated-acknowledged-resolved-closed', caseRow.workflow_id);

    // weeklyInsight, started through the API, over seeded analysed meals.
    await seedAnalysedMeals(h.database, [
      { userId: user, eatenAt: '2026-11-02T08:00:00Z', kcal: 450 },
      { userId: user, eatenAt: '2026-11-04T19:00:00Z', kcal: 700 },
    ]);
    const insight = await post('/v1/insights/weekly', { weekStart: '2026-11-02', timezone: 'UTC' });
    await save('weeklyInsight-api', insight.workflowId);

    // weeklyInsightsAll over a week in which exactly two people ate.
    const week = '2024-06-03';
    const people = [h.newUser(), h.newUser()];
    await seedAnalysedMeals(
      h.database,
      people.map((userId, i) => ({ userId, eatenAt: `2024-06-0${4 + i}T12:00:00Z`, kcal: 600 + i })),
    );
    const fanOutId = `weekly-insights-replay-${Date.now().toString(36)}`;
    await h.temporal.workflow.start('weeklyInsightsAll', {
      taskQueue: 'default',
      workflowId: fanOutId,
      args: [{ weekStart: week }],
    });
    await save('weeklyInsightsAll-two-people', fanOutId);

    // The maintenance jobs, through the admin API.
    for (const [job, type] of [
      ['cleanup', 'maintenanceCleanup'],
      ['retention', 'maintenanceRetention'],
      ['database', 'maintenanceDatabase'],
      ['health-report', 'maintenanceHealthReport'],
    ] as const) {
      const started = await post(`/v1/maintenance/${job}`, {}, admin);
      await save(`${type}-manual`, started.workflowId);
    }
    return recorded;
  } finally {
    await h.stop();
    fs.rmSync(policyDir, { recursive: true, force: true });
  }
}

/** Waits for the run (following continue-as-new) to close; returns its final status name. */
async function settle(h: Harness, workflowId: string): Promise<string> {
  const handle = h.temporal.workflow.getHandle(workflowId);
  await handle.result().catch(() => undefined);
  const closed = await eventually(async () => {
    const d = await handle.describe();
    return d.status.name === 'RUNNING' ? undefined : d.status.name;
  });
  return closed;
}
