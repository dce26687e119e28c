import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABANDONED_MEAL_REASON } from '../../src/activities/maintenance';
import { dataDeletions, idempotencyKeys } from '../../src/db/schema';
import type { CleanupSummary, RetentionSummary } from '../../src/domain/maintenance/types';
import { photo } from '../fixtures/images';
import { type Harness, eventually, startHarness } from '../support/harness';
import { DAY, HOUR, INSIDE, MAINTENANCE_ENV, MINUTE, OUTSIDE, maintenanceJobs } from '../support/maintenance-jobs';

/**
 * The retention and cleanup maintenance workflows on the real dev server and database, started directly (the HTTP
 * route is tested elsewhere). Every row is seeded with its own user ids: other test files share the database.
 * The database and health-report jobs: maintenance-database-health-report.test.ts.
 */
let h: Harness;
const { runJob, runRow, seedMeal, seedJournal, putImage, imagePath, age, mealRow, journalRow, deletionsOf } =
  maintenanceJobs(() => h);
beforeAll(async () => {
  h = await startHarness({ env: MAINTENANCE_ENV });
});
afterAll(async () => {
  await h?.stop();
});

describe('maintenanceRetention', () => {
  it('deletes exactly the expired photos and journal texts, records each deletion once, and a rerun deletes nothing new', async () => {
    const [alice, bob] = [h.newUser(), h.newUser()];
    const now = Date.now();
    const imageCutoff = now - 30 * DAY;
    const journalCutoff = now - 90 * DAY;

    const [k1, k2, shared, k4] = await Promise.all([
      putImage('k1'),
      putImage('k2'),
      putImage('shared'),
      putImage('k4'),
    ]);
    const m1 = await seedMeal(alice, new Date(imageCutoff - OUTSIDE), { imageKey: k1 }); // expired
    const m2 = await seedMeal(alice, new Date(imageCutoff + INSIDE), { imageKey: k2 }); // kept
    const m3 = await seedMeal(bob, new Date(imageCutoff - 2 * DAY), { imageKey: shared }); // expired, file shared with m4
    const m4 = await seedMeal(bob, new Date(now - DAY), { imageKey: shared }); // kept: keeps the file
    const m5 = await seedMeal(bob, new Date(imageCutoff - 5 * DAY)); // old but no photo: nothing to delete
    const m6 = await seedMeal(bob, new Date(now - 400 * DAY), { imageKey: k4 }); // long expired

    const j1 = await seedJournal(alice, new Date(journalCutoff - OUTSIDE)); // expired
    const j2 = await seedJournal(alice, new Date(journalCutoff + INSIDE)); // kept
    const j3 = await seedJournal(bob, new Date(now - 200 * DAY)); // expired
    const j4 = await seedJournal(bob, new Date(now - 60 * DAY)); // kept: past the photo limit, inside the journal one

    const first = await runJob<RetentionSummary>('maintenanceRetention');
    const s = first.result;
    expect(s.job).toBe('retention');
    expect(s.requestedBy).toBe('test');
    expect(s.mealImages.cutoff).toBe(new Date(Date.parse(s.asOf) - 30 * DAY).toISOString());
    expect(s.journalTexts.cutoff).toBe(new Date(Date.parse(s.asOf) - 90 * DAY).toISOString());
    expect(s.mealImages.complete && s.journalTexts.complete).toBe(true);

    // Rows: expired photos cleared (analysis rows untouched), the rest exactly as seeded.
    for (const id of [m1, m3, m6]) {
      const row = await mealRow(id);
      expect(row.imageKey, id).toBeNull();
      expect(row.imageDeletedAt, id).toBeInstanceOf(Date);
    }
    expect((await mealRow(m2)).imageKey).toBe(k2);
    expect((await mealRow(m4)).imageKey).toBe(shared);
    expect((await mealRow(m5)).imageDeletedAt).toBeNull();
    for (const id of [m2, m4, m5]) expect((await mealRow(id)).imageDeletedAt, id).toBeNull();

    // Files: deleted unless a newer meal still refers to the same content-addressed key.
    expect(await h.images.has(k1)).toBe(false);
    expect(await h.images.has(k4)).toBe(false);
    expect(await h.images.has(k2)).toBe(true);
    expect(await h.images.has(shared)).toBe(true);

    for (const id of [j1, j3]) {
      const row = await journalRow(id);
      expect(row.textEncrypted, id).toBeNull();
      expect(row.textDeletedAt, id).toBeInstanceOf(Date);
      expect(row.mood, id).toBe(3); // aggregates stay
      expect(row.screening, id).toEqual({ tier: 'none' });
    }
    for (const id of [j2, j4]) {
      const row = await journalRow(id);
      expect(row.textEncrypted, id).toBe(`v1:test:${id}`);
      expect(row.textDeletedAt, id).toBeNull();
    }

    // One data_deletions row per deleted item, for these people exactly.
    const recorded = await deletionsOf([alice, bob]);
    expect(recorded.map((d) => `${d.kind}:${d.resourceId}:${d.userId}`).sort()).toEqual(
      [
        `meal_image:${m1}:${alice}`,
        `meal_image:${m3}:${bob}`,
        `meal_image:${m6}:${bob}`,
        `journal_text:${j1}:${alice}`,
        `journal_text:${j3}:${bob}`,
      ].sort(),
    );
    expect(new Set(recorded.map((d) => d.runId))).toEqual(new Set([first.runId]));
    // The summary counts what the run recorded (other files' rows may share the database, none are this old).
    const runKinds = await h.database.db.select().from(dataDeletions).where(eq(dataDeletions.runId, first.runId));
    expect(s.mealImages.deleted).toBe(runKinds.filter((d) => d.kind === 'meal_image').length);
    expect(s.journalTexts.deleted).toBe(runKinds.filter((d) => d.kind === 'journal_text').length);
    expect(s.mealImages.deleted).toBeGreaterThanOrEqual(3);
    expect(s.mealImages.filesKept).toBeGreaterThanOrEqual(1);

    const record = await runRow(first.runId);
    expect(record).toMatchObject({ workflowId: first.workflowId, job: 'retention', status: 'completed' });
    expect(record!.finishedAt).toBeInstanceOf(Date);
    expect(record!.result).toEqual(s);

    // A second run finds nothing new for these people and leaves the first run's records alone.
    const second = await runJob<RetentionSummary>('maintenanceRetention');
    expect(await deletionsOf([alice, bob])).toEqual(recorded);
    const secondKinds = await h.database.db
      .select()
      .from(dataDeletions)
      .where(and(eq(dataDeletions.runId, second.runId), inArray(dataDeletions.userId, [alice, bob])));
    expect(secondKinds).toEqual([]);
    expect(second.result.mealImages.deleted).toBe(0);
    expect(second.result.journalTexts.deleted).toBe(0);
    expect((await mealRow(m2)).imageKey).toBe(k2);
    expect(await h.images.has(shared)).toBe(true);
    expect((await runRow(second.runId))?.status).toBe('completed');

    // The progress query answers on the finished run too.
    const progress = await h.temporal.workflow
      .getHandle(first.workflowId)
      .query<{ steps: { name: string; status: string }[] }>('progress');
    expect(progress.steps.map((st) => [st.name, st.status])).toEqual([
      ['begin', 'completed'],
      ['mealImages', 'completed'],
      ['journalTexts', 'completed'],
      ['crisisCases', 'completed'],
      ['finish', 'completed'],
    ]);
  });
});

describe('maintenanceCleanup', () => {
  it('removes expired idempotency keys, old unreferenced uploads and closes meals whose run is gone or cancels the open one', async () => {
    const carol = h.newUser();
    const now = Date.now();

    // Idempotency records: one just expired, one just fresh.
    await h.database.db.insert(idempotencyKeys).values([
      {
        userId: carol,
        key: 'old',
        requestHash: 'h',
        resourceType: 'meal',
        resourceId: randomUUID(),
        createdAt: new Date(now - 24 * HOUR - OUTSIDE),
      },
      {
        userId: carol,
        key: 'fresh',
        requestHash: 'h',
        resourceType: 'meal',
        resourceId: randomUUID(),
        createdAt: new Date(now - 24 * HOUR + INSIDE),
      },
    ]);

    // Uploads: old and unreferenced (deleted), old but referenced, fresh and unreferenced, an old temporary.
    const [orphan, used, fresh] = await Promise.all([putImage('orphan'), putImage('used'), putImage('fresh')]);
    await seedMeal(carol, new Date(now - HOUR), { imageKey: used });
    age(orphan, 24 * HOUR + MINUTE);
    age(used, 48 * HOUR);
    age(fresh, 24 * HOUR - INSIDE);
    const temp = path.join(path.dirname(imagePath(orphan)), '.tmp-00112233aabbccdd');
    fs.writeFileSync(temp, 'a write that never finished');
    const longAgo = new Date(now - 30 * DAY);
    fs.utimesSync(temp, longAgo, longAgo);

    // Meals without an outcome: one past 24 h + 1 h whose run never existed, one past it whose run is still
    // waiting for input, one recent (left alone).
    const gone = await seedMeal(carol, new Date(now - 25 * HOUR - MINUTE), { outcome: null });
    const recent = await seedMeal(carol, new Date(now - 20 * HOUR), { outcome: null });
    const waitingKey = await h.images.put(await photo('jpeg', 40, 30), 'image/jpeg');
    const waiting = await seedMeal(carol, new Date(now - 30 * HOUR), {
      outcome: null,
      description: null,
      imageKey: waitingKey,
    });
    const waitingRun = await h.temporal.workflow.start('mealAnalysis', {
      taskQueue: 'default',
      workflowId: `meal-${waiting}`,
      args: [{ mealId: waiting, userId: carol }],
    });
    await eventually(async () => (await waitingRun.query<{ status: string }>('progress')).status === 'needs_input');

    const { result: s, runId } = await runJob<CleanupSummary>('maintenanceCleanup');
    expect(s.job).toBe('cleanup');
    expect(s.warnings).toEqual([]);

    const keys = await h.database.db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.userId, carol));
    expect(keys.map((k) => k.key)).toEqual(['fresh']);
    expect(s.idempotencyKeys!.deleted).toBeGreaterThanOrEqual(1);
    expect(s.idempotencyKeys!.cutoff).toBe(new Date(Date.parse(s.asOf) - 24 * HOUR).toISOString());

    expect(await h.images.has(orphan)).toBe(false);
    expect(await h.images.has(used)).toBe(true);
    expect(await h.images.has(fresh)).toBe(true);
    expect(await h.images.has(waitingKey)).toBe(true); // referenced by the waiting meal
    expect(fs.existsSync(temp)).toBe(true);
    expect(s.orphanUploads).toMatchObject({ deleted: 1, referenced: 1, complete: true });
    expect(s.orphanUploads!.scanned).toBeGreaterThanOrEqual(4);

    const closed = await mealRow(gone);
    expect(closed.outcome).toBe('failed');
    expect(closed.outcomeReason).toBe(ABANDONED_MEAL_REASON);
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect((await mealRow(recent)).outcome).toBeNull();
    expect(s.stuckMeals).toMatchObject({ found: 2, closed: 1, cancelled: 1, complete: true });
    expect(s.stuckMeals!.cutoff).toBe(new Date(Date.parse(s.asOf) - 25 * HOUR).toISOString());

    // The open run was cancelled and closed its meal through its own cancel path.
    await expect(waitingRun.result()).rejects.toThrow();
    expect((await waitingRun.describe()).status.name).toBe('CANCELLED');
    const cancelled = await eventually(async () => {
      const row = await mealRow(waiting);
      return row.outcome ? row : undefined;
    });
    expect(cancelled.outcome).toBe('cancelled');

    expect(await runRow(runId)).toMatchObject({ job: 'cleanup', status: 'completed', result: s });

    // A second run: nothing left of ours to do.
    const again = (await runJob<CleanupSummary>('maintenanceCleanup')).result;
    expect(again.stuckMeals).toMatchObject({ found: 0, closed: 0, cancelled: 0 });
    expect((await mealRow(recent)).outcome).toBeNull();
    expect(await h.images.has(used)).toBe(true);
  });
});
