import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountExports, meals } from '../../src/db/schema';
import { createAccountExportRepository, exportsDirOf } from '../../src/db/repositories/account-exports';
import { photo } from '../fixtures/images';
import { type Harness, eventually, startHarness } from '../support/harness';
import { tarGzEntries } from '../support/tar-entries';

/**
 * Account export end to end on the real stack: API start (one at a time), the accountExport run on a real dev
 * server, a one-time download, the archive checked file by file, a neighbour's data absent, journal text in the
 * archive but never in logs or (decoded) Temporal history, and the cleanup job deleting an expired archive.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const WEEK = '2026-11-16';

async function seedPerson(marker: string) {
  const user = h.newUser();
  const token = await h.token(user);
  await h.call('PUT', '/v1/me/profile', {
    token,
    body: { sex: 'female', ageYears: 34, heightCm: 168, weightKg: 63, activity: 'moderate', guidelineProfile: 'who' },
  });
  const text = await h.call('POST', '/v1/meals', {
    token,
    body: { description: `2 eggs and toast ${marker}`, eatenAt: '2026-11-17T08:00:00Z' },
  });
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(await photo('jpeg'))], { type: 'image/jpeg' }), 'lunch.jpg');
  form.set('eatenAt', '2026-11-18T12:00:00Z');
  const withPhoto = await h.call('POST', '/v1/meals', { token, form });
  expect(withPhoto.status, withPhoto.text).toBe(202);
  const journalText = `a calm walk by the river ${marker}`;
  const entry = await h.call('POST', '/v1/journal-entries', { token, body: { text: journalText, mood: 4 } });
  expect(entry.status, entry.text).toBe(202);
  const task = await h.call('POST', '/v1/tasks', { token, body: { name: 'Book dentist', taskType: 'todo' } });
  expect(task.status, task.text).toBe(201);
  await eventually(
    async () => (await h.call('GET', `/v1/meals/${text.json.mealId}`, { token })).json.status === 'completed',
  );
  const insight = await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: WEEK, timezone: 'UTC' } });
  await h.temporal.workflow.getHandle(insight.json.workflowId).result();
  return {
    user,
    token,
    journalText,
    entryId: entry.json.entryId as string,
    textMealId: text.json.mealId as string,
    photoMealId: withPhoto.json.mealId as string,
  };
}

async function finished(token: string, exportId: string) {
  return eventually(async () => {
    const r = await h.call('GET', `/v1/me/export/${exportId}`, { token });
    return r.json.status === 'running' ? undefined : r.json;
  }, 120_000);
}

describe('account export', () => {
  it('exports one person’s data once, file by file, and nothing of anyone else', async () => {
    const alice = await seedPerson(`alice-${randomUUID().slice(0, 8)}`);
    const bob = await seedPerson(`bob-${randomUUID().slice(0, 8)}`);

    // One export at a time: with the workers stopped the first is surely still running for the second POST.
    await h.stopWorkers();
    const first = await h.call('POST', '/v1/me/export', { token: alice.token });
    expect(first.status, first.text).toBe(202);
    expect(first.json).toMatchObject({ status: 'running', alreadyRunning: false });
    const again = await h.call('POST', '/v1/me/export', { token: alice.token });
    expect(again.json).toMatchObject({ exportId: first.json.exportId, alreadyRunning: true });
    await h.startWorkers();

    const { exportId, workflowId } = first.json;
    // Another person cannot see it.
    expect((await h.call('GET', `/v1/me/export/${exportId}`, { token: bob.token })).status).toBe(404);
    const view = await finished(alice.token, exportId);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ meals: 2, photos: 1, journal: 1, insights: 1, charts: 1, tasks: 1 });
    expect(view.url).toMatch(new RegExp(`/downloads/exports/${exportId}\\?token=`));

    // Progress through the generic SSE endpoint: every step of the run, in order.
    const events = await h.call('GET', `/v1/workflows/${workflowId}/events`, { token: alice.token });
    for (const step of ['profile', 'meals', 'journal', 'insights', 'routines', 'pack', 'finish'])
      expect(events.text).toContain(`"step":"${step}"`);

    // The link works once.
    const url = new URL(view.url);
    const res = await h.app.request(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    const archive = Buffer.from(await res.arrayBuffer());
    expect(archive.length).toBe(view.sizeBytes);
    const second = await h.app.request(`${url.pathname}${url.search}`);
    expect(second.status).toBe(410);
    expect((await h.app.request(`${url.pathname}?token=${'A'.repeat(43)}`)).status).toBe(404);
    const after = (await h.call('GET', `/v1/me/export/${exportId}`, { token: alice.token })).json;
    expect(after.downloadedAt).not.toBeNull();
    expect(after.url).not.toBe(view.url); // a fresh link replaces the used one

    const files = await tarGzEntries(archive);
    const json = (name: string) => JSON.parse(files.get(name)!.toString('utf8'));
    expect([...files.keys()].sort()).toEqual(
      [
        'README.md',
        'export.json',
        'profile.json',
        'meals.json',
        'journal-entries.json',
        'insights.json',
        'tasks.json',
        'task-executions.json',
        'inbox.json',
        'crisis-cases.json',
        `charts/week-${WEEK}.svg`,
        `photos/${alice.photoMealId}.jpg`,
      ].sort(),
    );
    const readme = files.get('README.md')!.toString('utf8');
    expect(readme).toContain(`Export ${exportId} of account ${alice.user}`);
    expect(readme).toContain('| meals.json | 2 |');
    expect(json('export.json')).toMatchObject({ exportId, userId: alice.user, counts: { meals: 2, photos: 1 } });
    expect(json('profile.json')).toMatchObject({ sex: 'female', ageYears: 34, guidelineProfile: 'who' });

    const exportedMeals = json('meals.json') as { id: string; photo: string | null; analysis: unknown }[];
    expect(exportedMeals.map((m) => m.id).sort()).toEqual([alice.textMealId, alice.photoMealId].sort());
    const apiMeal = (await h.call('GET', `/v1/meals/${alice.textMealId}`, { token: alice.token })).json;
    const textMeal = exportedMeals.find((m) => m.id === alice.textMealId)! as any;
    expect(textMeal.description).toBe(apiMeal.description);
    expect(textMeal.analysis.totals).toEqual(apiMeal.totals);
    expect(exportedMeals.find((m) => m.id === alice.photoMealId)!.photo).toBe(`photos/${alice.photoMealId}.jpg`);

    // The photo is the stored photo, byte for byte.
    const [row] = await h.database.db.select().from(meals).where(eq(meals.id, alice.photoMealId));
    const stored = await h.images.get(row!.imageKey!);
    expect(files.get(`photos/${alice.photoMealId}.jpg`)!.equals(stored!)).toBe(true);
    expect(`sha256:${createHash('sha256').update(stored!).digest('hex')}.jpg`).toBe(row!.imageKey);

    const journal = json('journal-entries.json');
    expect(journal).toEqual([expect.objectContaining({ id: alice.entryId, text: alice.journalText, mood: 4 })]);
    expect(json('insights.json')).toEqual([expect.objectContaining({ weekStart: WEEK })]);
    expect(files.get(`charts/week-${WEEK}.svg`)!.toString('utf8')).toMatch(
      /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(json('tasks.json')).toEqual([expect.objectContaining({ name: 'Book dentist', taskType: 'todo' })]);
    expect(json('crisis-cases.json')).toEqual([]);

    // Nothing of Bob's: no id, no words, no user id in any file.
    const everything = [...files.values()].map((b) => b.toString('latin1')).join('\n');
    for (const s of [bob.user, bob.entryId, bob.textMealId, bob.photoMealId, bob.journalText])
      expect(everything).not.toContain(s);

    // The journal text is in the archive, and nowhere in the logs or the run's decoded history.
    expect(JSON.stringify(h.logLines)).not.toContain(alice.journalText);
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const decoded = await decodeAllPayloads(history);
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded.join('\n')).toContain(exportId); // the decoding works: ids are there
    expect(decoded.join('\n')).not.toContain(alice.journalText);
    expect(decoded.join('\n')).not.toContain('a calm walk');
  }, 240_000);

  it('the cleanup job deletes an archive past its 24 h; its links then answer 410', async () => {
    const token = await h.token(h.newUser());
    const { exportId } = (await h.call('POST', '/v1/me/export', { token })).json;
    const view = await finished(token, exportId);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ meals: 0, photos: 0 });
    const file = path.join(exportsDirOf(h.config.dataDir), `${exportId}.tar.gz`);
    expect(fs.existsSync(file)).toBe(true);

    await h.database.db
      .update(accountExports)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountExports.id, exportId));
    const handle = await h.temporal.workflow.start('maintenanceCleanup', {
      taskQueue: 'default',
      workflowId: `maintenanceCleanup-export-test-${randomUUID()}`,
      args: [{ requestedBy: 'test' }],
    });
    const summary = (await handle.result()) as { expiredExports: { deleted: number } };
    expect(summary.expiredExports.deleted).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(file)).toBe(false);
    const url = new URL(view.url);
    expect((await h.app.request(`${url.pathname}${url.search}`)).status).toBe(410);
    const expired = (await h.call('GET', `/v1/me/export/${exportId}`, { token })).json;
    expect(expired).toMatchObject({ status: 'expired', url: null });
  }, 120_000);
});

describe('deleteExportsForUser (what erasure calls)', () => {
  it("removes the person's archives and rows, again is a no-op, and a neighbour's export is untouched", async () => {
    const [a, b] = [await h.token(h.newUser()), await h.token(h.newUser())];
    const ids: string[] = [];
    for (const token of [a, b]) {
      const { exportId } = (await h.call('POST', '/v1/me/export', { token })).json;
      expect((await finished(token, exportId)).status).toBe('completed');
      ids.push(exportId);
    }
    const [aRow] = await h.database.db.select().from(accountExports).where(eq(accountExports.id, ids[0]!));
    const dir = exportsDirOf(h.config.dataDir);
    const repo = createAccountExportRepository(h.database.db, dir);
    const bFile = path.join(dir, `${ids[1]}.tar.gz`);
    const bBefore = fs.readFileSync(bFile);

    expect(await repo.deleteExportsForUser(aRow!.userId)).toEqual({ rows: 1, files: 1 });
    expect(fs.existsSync(path.join(dir, `${ids[0]}.tar.gz`))).toBe(false);
    expect(await repo.get(ids[0]!)).toBeUndefined();
    expect(await repo.deleteExportsForUser(aRow!.userId)).toEqual({ rows: 0, files: 0 });
    expect((await h.call('GET', `/v1/me/export/${ids[0]}`, { token: a })).status).toBe(404);

    expect(fs.readFileSync(bFile).equals(bBefore)).toBe(true);
    expect((await h.call('GET', `/v1/me/export/${ids[1]}`, { token: b })).json.status).toBe('completed');
  }, 120_000);
});

/** Every payload in a history, decoded through the service's codec, as text. */
async function decodeAllPayloads(history: unknown): Promise<string[]> {
  const payloads: { metadata?: unknown; data?: Uint8Array }[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') payloads.push(o as never);
    else for (const x of Object.values(o)) walk(x);
  };
  walk(history);
  const decoded = await h.codec.decode(payloads as never);
  return decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
}
