import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { dataDeletions, journalEntries, maintenanceRuns, meals } from '../../src/db/schema';
import type { Harness } from './harness';

/** The harness settings the maintenance tests measure their seeded rows and files against. */
export const MAINTENANCE_ENV = {
  RETENTION_IMAGE_DAYS: '30',
  RETENTION_JOURNAL_DAYS: '90',
  ORPHAN_UPLOAD_HOURS: '24',
  IDEMPOTENCY_TTL_HOURS: '24',
  MEAL_INPUT_TIMEOUT: '24h',
};

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
// "Just inside" leaves room for the seconds between seeding and the run's start (its asOf); "just outside"
// is one second past the cutoff, which only moves further into the past relative to asOf.
export const INSIDE = 10 * MINUTE;
export const OUTSIDE = SECOND;

/**
 * The maintenance workflows started directly on the harness's dev server (the HTTP route is tested elsewhere),
 * their maintenance_runs rows, and rows and image files seeded with the test's own user ids (other test files
 * share the database).
 */
export function maintenanceJobs(h: () => Harness) {
  async function runJob<T>(type: string): Promise<{ result: T; runId: string; workflowId: string }> {
    const workflowId = `${type}-test-${randomUUID()}`;
    const handle = await h().temporal.workflow.start(type, {
      taskQueue: 'default',
      workflowId,
      args: [{ requestedBy: 'test' }],
    });
    const result = (await handle.result()) as T;
    return { result, runId: handle.firstExecutionRunId, workflowId };
  }

  async function runRow(runId: string) {
    return (await h().database.db.select().from(maintenanceRuns).where(eq(maintenanceRuns.runId, runId)))[0];
  }

  async function seedMeal(
    userId: string,
    createdAt: Date,
    extra: Partial<typeof meals.$inferInsert> = {},
  ): Promise<string> {
    const id = randomUUID();
    await h()
      .database.db.insert(meals)
      .values({
        id,
        userId,
        description: 'seeded',
        eatenAt: createdAt,
        mealType: 'lunch',
        workflowId: `meal-${id}`,
        createdAt,
        outcome: 'completed',
        ...extra,
      });
    return id;
  }

  async function seedJournal(userId: string, createdAt: Date): Promise<string> {
    const id = randomUUID();
    await h()
      .database.db.insert(journalEntries)
      .values({
        id,
        userId,
        textEncrypted: `v1:test:${id}`,
        mood: 3,
        locale: 'en',
        workflowId: `journal-${id}`,
        createdAt,
        screening: { tier: 'none' },
      });
    return id;
  }

  const putImage = (label: string) => h().images.put(Buffer.from(`${label} ${randomUUID()}`), 'image/jpeg');

  function imagePath(key: string): string {
    const [, hex, ext] = /^sha256:([0-9a-f]{64})\.(\w+)$/.exec(key)!;
    return path.join(h().config.dataDir, 'images', hex!.slice(0, 2), hex!.slice(2, 4), `${hex}.${ext}`);
  }

  function age(key: string, ms: number): void {
    const t = new Date(Date.now() - ms);
    fs.utimesSync(imagePath(key), t, t);
  }

  const mealRow = async (id: string) => (await h().database.db.select().from(meals).where(eq(meals.id, id)))[0]!;
  const journalRow = async (id: string) =>
    (await h().database.db.select().from(journalEntries).where(eq(journalEntries.id, id)))[0]!;
  const deletionsOf = (users: string[]) =>
    h().database.db.select().from(dataDeletions).where(inArray(dataDeletions.userId, users)).orderBy(dataDeletions.id);

  return { runJob, runRow, seedMeal, seedJournal, putImage, imagePath, age, mealRow, journalRow, deletionsOf };
}
