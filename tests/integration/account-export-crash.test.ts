import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountExportActivities } from '../../src/activities/account-export';
import type { PersonCipher } from '../../src/crypto/person-cipher';
import { createAccountExportReads } from '../../src/db/repositories/account-export-reads';
import { exportArchiveName, exportTempArchiveName } from '../../src/domain/account/export-files';
import { EXPORT_JSON_FILES } from '../../src/domain/account/export-readme';
import { createAccountExportRepository, exportsDirOf } from '../../src/db/repositories/account-exports';
import { createLogger } from '../../src/logger';
import { photo } from '../fixtures/images';
import { faultEnv, startWorkerProcess, type WellflowProcess } from '../support/fault-processes';
import { eventually, type Harness, startHarness } from '../support/harness';
import { seedAnalysedMeals } from '../support/seed-meals';
import { tarGzEntries } from '../support/tar-entries';

/**
 * Issue 16, export: the worker (the real `wellflow worker`, serving every queue, in its own process) is killed with
 * -9 while pack is writing the archive; a new worker retries pack once the dead attempt's heartbeat timeout (the
 * production policy's 1 min: the test keeps it, so it waits about a minute) has passed. The export completes with
 * one archive, checked file by file, and nothing half-written is left in the exports folder.
 */
const env = faultEnv();
let h: Harness;
const workers: WellflowProcess[] = [];
const MEALS = 500;
const PHOTOS = 400; // distinct ~150 KB photos: ~60 MB to pack, so the kill lands mid-archive

beforeAll(async () => {
  h = await startHarness({ workers: false, env });
});
afterAll(async () => {
  for (const w of workers) await w.kill9();
  await h?.stop();
  fs.rmSync(env.WELLFLOW_DATA_DIR, { recursive: true, force: true });
});

/** Every file and folder below `dir`, relative, sorted. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('fault: worker kill -9 mid-export', () => {
  it('the export completes after a restart with one whole archive and no half-written files', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const base = await photo('jpeg');
    const keys: string[] = [];
    // A real JPEG with incompressible bytes after its end marker: each photo distinct, as big as a phone photo.
    for (let i = 0; i < PHOTOS; i++)
      keys.push(await h.images.put(Buffer.concat([base, randomBytes(150_000)]), 'image/jpeg'));
    const start = Date.parse('2026-06-01T12:00:00Z');
    const mealIds = await seedAnalysedMeals(
      h.database,
      Array.from({ length: MEALS }, (_, i) => ({
        userId: user,
        eatenAt: new Date(start + i * 3_600_000).toISOString(),
        kcal: 500,
        ...(i < PHOTOS ? { imageKey: keys[i] } : {}),
      })),
    );
    const profile = await h.call('PUT', '/v1/me/profile', {
      token,
      body: { sex: 'male', ageYears: 41, heightCm: 180, weightKg: 80, activity: 'light', guidelineProfile: 'who' },
    });
    expect(profile.status, profile.text).toBe(200);

    const first = await startWorkerProcess(env);
    workers.push(first);
    const started = await h.call('POST', '/v1/me/export', { token });
    expect(started.status, started.text).toBe(202);
    const { exportId, workflowId } = started.json as { exportId: string; workflowId: string };
    const dir = exportsDirOf(env.WELLFLOW_DATA_DIR);
    const temp = path.join(dir, exportTempArchiveName(exportId));

    // Kill while pack is writing: the half-written archive has grown past a few MB.
    await eventually(async () => fs.existsSync(temp) && fs.statSync(temp).size > 4_000_000, 180_000, 20);
    await first.kill9();
    const leftByKill = tree(dir);
    expect(leftByKill).toContain(exportTempArchiveName(exportId));
    expect(leftByKill).not.toContain(exportArchiveName(exportId));
    expect((await h.call('GET', `/v1/me/export/${exportId}`, { token })).json.status).toBe('running');

    const second = await startWorkerProcess(env);
    workers.push(second);
    const view = await eventually(
      async () => {
        const r = await h.call('GET', `/v1/me/export/${exportId}`, { token });
        return r.json.status === 'running' ? undefined : r.json;
      },
      300_000,
      500,
    );
    expect(view.status, second.describe()).toBe('completed');
    expect(view.counts).toMatchObject({ meals: MEALS, photos: PHOTOS, journal: 0, profile: 1 });

    // Pack really was cut and retried: its recorded attempt is a later one.
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const packScheduled = history.events!.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'packExportArchive',
    )!;
    const packStarted = history.events!.find(
      (e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(packScheduled.eventId),
    );
    expect(packStarted?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);

    // One archive, nothing else: no staging folder, no temporary archive, no .part file.
    expect(tree(dir)).toEqual([exportArchiveName(exportId)]);

    const url = new URL(view.url);
    const res = await h.app.request(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    const archive = Buffer.from(await res.arrayBuffer());
    expect(archive.length).toBe(view.sizeBytes);
    const files = await tarGzEntries(archive);
    const json = (name: string) => JSON.parse(files.get(name)!.toString('utf8'));
    const photoNames = mealIds.slice(0, PHOTOS).map((id) => `photos/${id}.jpg`);
    // Every file the archive declares (account-export.test.ts spells the list out), then the photos.
    const declared = Object.values(EXPORT_JSON_FILES).map((f) => f.file);
    expect([...files.keys()].sort()).toEqual(['README.md', 'export.json', ...declared, ...photoNames].sort());
    expect(files.get('README.md')!.toString('utf8')).toContain(`| meals.json | ${MEALS} |`);
    expect(json('export.json')).toMatchObject({ exportId, userId: user, counts: { meals: MEALS, photos: PHOTOS } });
    expect(json('profile.json')).toMatchObject({ sex: 'male', ageYears: 41, heightCm: 180 });
    const exported = json('meals.json') as {
      id: string;
      photo: string | null;
      analysis: { totals: { kcal: number } };
    }[];
    expect(exported.map((m) => m.id)).toEqual(mealIds); // oldest first, each once
    exported.forEach((m, i) => {
      expect(m.photo).toBe(i < PHOTOS ? `photos/${m.id}.jpg` : null);
      expect(m.analysis.totals.kcal).toBe(500);
    });
    for (const name of ['journal-entries.json', 'insights.json', 'tasks.json', 'task-executions.json', 'inbox.json'])
      expect(json(name), name).toEqual([]);
    expect(json('crisis-cases.json')).toEqual([]);
    // Every photo is the stored photo, byte for byte.
    for (let i = 0; i < PHOTOS; i++)
      expect(files.get(photoNames[i]!)!.equals((await h.images.get(keys[i]!))!), photoNames[i]).toBe(true);
  }, 480_000);

  it('pack run again after an attempt that finished its work (the worker died before reporting) writes the same archive', async () => {
    // The window a kill can hit between pack's rename and its result reaching Temporal: the retry must find
    // everything it needs (the staging folder) and write the same archive again.
    const user = h.newUser();
    const base = await photo('jpeg');
    const keys = [await h.images.put(Buffer.concat([base, randomBytes(1_000)]), 'image/jpeg')];
    await seedAnalysedMeals(h.database, [
      { userId: user, eatenAt: '2026-06-01T12:00:00Z', kcal: 400, imageKey: keys[0] },
      { userId: user, eatenAt: '2026-06-01T18:00:00Z', kcal: 600 },
    ]);
    const dir = exportsDirOf(env.WELLFLOW_DATA_DIR);
    const exports = createAccountExportRepository(h.database.db, dir);
    const exportId = randomUUID();
    await exports.claim({ id: exportId, userId: user, workflowId: `account-export-${exportId}` });
    const acts = createAccountExportActivities({
      exports,
      reads: createAccountExportReads(h.database.db),
      images: h.images,
      cipher: {} as PersonCipher, // no journal entries: never called
      logger: createLogger('silent'),
    });
    // The activity context the steps read (heartbeat, cancellation signal), as a worker would give it.
    const context = { heartbeat: () => {}, cancellationSignal: new AbortController().signal } as unknown as Context;
    const activity = {
      run: <I, O>(fn: (i: I) => Promise<O>, i: I) => asyncLocalStorage.run(context, () => fn(i)),
    };
    const input = { exportId, userId: user };
    const counts = {};
    for (const stage of [
      acts.stageExportProfile,
      acts.stageExportMeals,
      acts.stageExportJournal,
      acts.stageExportInsights,
      acts.stageExportRoutines,
    ])
      Object.assign(counts, await activity.run(stage, input));

    const first = await activity.run(acts.packExportArchive, { ...input, counts });
    const archive = path.join(dir, exportArchiveName(exportId));
    const bytes = fs.readFileSync(archive);
    const again = await activity.run(acts.packExportArchive, { ...input, counts });
    expect(again).toEqual(first);
    expect(fs.readFileSync(archive).equals(bytes)).toBe(true);

    const done = { ...input, counts: { ...counts, ...first.counts }, sizeBytes: first.sizeBytes };
    await activity.run(acts.finishExport, done);
    await activity.run(acts.finishExport, done); // and finish, retried, changes nothing
    expect(tree(dir).filter((f) => f.includes(exportId))).toEqual([exportArchiveName(exportId)]);
    expect((await exports.get(exportId))?.status).toBe('completed');
    const files = await tarGzEntries(bytes);
    expect(JSON.parse(files.get('export.json')!.toString('utf8')).counts).toMatchObject({ meals: 2, photos: 1 });
  }, 60_000);
});
