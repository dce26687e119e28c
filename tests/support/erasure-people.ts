import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { photo } from '../fixtures/images';
import { eventually, type Harness } from './harness';

/** Every table erasure empties by user id (plus analyses, which hang off meals). */
export const PERSON_TABLES = [
  'meals',
  'meal_batches',
  'weekly_insights',
  'user_profiles',
  'tasks',
  'task_executions',
  'inbox_messages',
  'idempotency_keys',
  'journal_entries',
  'account_exports',
  'journal_data_keys',
] as const;

/**
 * A person with one of everything: profile, a text meal, a photo meal (the same fixture bytes for everyone, so
 * their photo file is shared by content hash; with no model server it waits for a description: a running run),
 * a journal entry, a reminder task with a schedule, and a weekly insight.
 */
export async function seedPerson(h: Harness, user = h.newUser()) {
  const token = await h.token(user);
  const ok = (r: { status: number; text: string }, status: number) => expect(r.status, r.text).toBe(status);
  ok(
    await h.call('PUT', '/v1/me/profile', {
      token,
      body: { sex: 'female', ageYears: 34, heightCm: 168, weightKg: 63, activity: 'moderate', guidelineProfile: 'who' },
    }),
    200,
  );
  const text = await h.call('POST', '/v1/meals', {
    token,
    body: { description: '2 eggs and toast', eatenAt: '2026-11-17T08:00:00Z' },
    headers: { 'Idempotency-Key': `k-${user}` },
  });
  ok(text, 202);
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(await photo('jpeg'))], { type: 'image/jpeg' }), 'lunch.jpg');
  form.set('eatenAt', '2026-11-18T12:00:00Z');
  const withPhoto = await h.call('POST', '/v1/meals', { token, form });
  ok(withPhoto, 202);
  ok(await h.call('POST', '/v1/journal-entries', { token, body: { text: 'a calm walk by the river', mood: 4 } }), 202);
  ok(
    await h.call('POST', '/v1/tasks/from-template', {
      token,
      body: { templateId: 'drink-water', config: {}, timezone: 'Europe/Berlin' },
    }),
    201,
  );
  await eventually(
    async () => (await h.call('GET', `/v1/meals/${text.json.mealId}`, { token })).json.status === 'completed',
    60_000,
  );
  const insight = await h.call('POST', '/v1/insights/weekly', {
    token,
    body: { weekStart: '2026-11-16', timezone: 'UTC' },
  });
  ok(insight, 202);
  await h.temporal.workflow.getHandle(insight.json.workflowId).result();
  const photoKey = (await h.database.sql`select image_key from app.meals where id = ${withPhoto.json.mealId}`)[0]!
    .image_key as string;
  return { user, token, photoMealId: withPhoto.json.mealId as string, photoKey };
}

/** Everything stored for a person, as JSON text per table (rows sorted), and their photo's bytes hash. */
export async function snapshot(h: Harness, userId: string, photoKey?: string) {
  const out: Record<string, string[]> = {};
  for (const table of PERSON_TABLES) {
    const rows = await h.database.db.execute(
      sql`select to_jsonb(t)::text as j from ${sql.raw(`app.${table}`)} t where user_id = ${userId}`,
    );
    out[table] = rows.map((r) => String(r.j)).sort();
  }
  const analyses = await h.database.sql`
    select to_jsonb(a)::text as j from app.meal_analyses a join app.meals m on m.id = a.meal_id where m.user_id = ${userId}`;
  out.meal_analyses = analyses.map((r) => String(r.j)).sort();
  const bytes = photoKey ? await h.images.get(photoKey) : undefined;
  return { rows: out, photo: bytes ? createHash('sha256').update(bytes).digest('hex') : null };
}

/** How many rows the person still has in each table (all zero after erasure). */
export async function remaining(h: Harness, userId: string) {
  const counts: Record<string, number> = {};
  for (const table of PERSON_TABLES) {
    const r = await h.database.db.execute(
      sql`select count(*)::int as n from ${sql.raw(`app.${table}`)} where user_id = ${userId}`,
    );
    counts[table] = Number(r[0]!.n);
  }
  return counts;
}

export const receiptOf = async (h: Harness, userId: string) =>
  h.call('GET', `/v1/admin/users/${userId}/erasure`, { token: await h.token('admin-erasure', 'admin') });

export async function completedReceipt(h: Harness, userId: string, ms = 120_000) {
  return eventually(async () => {
    const r = await receiptOf(h, userId);
    return r.status === 200 && r.json.status === 'completed' ? r.json : undefined;
  }, ms);
}
