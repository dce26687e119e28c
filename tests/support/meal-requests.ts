import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { eventually, type Harness } from './harness';

/**
 * The meal-policy tests' harness settings: NATS_URL on a closed port (a meal's event waits in the outbox, and the
 * meal does not notice) and a short MEAL_INPUT_TIMEOUT, so a meal nobody describes ends within the test.
 */
export const MEAL_POLICY_ENV = { NATS_URL: 'nats://127.0.0.1:9', MEAL_INPUT_TIMEOUT: '4s' };

/** A small JPEG, and a POST /v1/meals multipart form carrying one (or other bytes) with the given fields. */
export const jpeg = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#c83' } })
    .jpeg()
    .toBuffer();
export const photoForm = async (
  fields: Record<string, string> = {},
  bytes?: Buffer,
  name = 'meal.jpg',
  type = 'image/jpeg',
) => {
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(bytes ?? (await jpeg()))], { type }), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
};

/** A person's stored meals (or meal analyses), and a meal once the API shows it in `status`. */
export function mealQueries(h: () => Harness) {
  const count = async (table: 'meals' | 'meal_analyses', userId: string) => {
    const q =
      table === 'meals'
        ? sql`select count(*)::int as n from app.meals where user_id = ${userId}`
        : sql`select count(*)::int as n from app.meal_analyses a join app.meals m on m.id = a.meal_id where m.user_id = ${userId}`;
    return ((await h().database.db.execute(q))[0] as { n: number }).n;
  };
  const waitStatus = (token: string, mealId: string, status: string, ms = 30_000) =>
    eventually(async () => {
      const res = await h().call('GET', `/v1/meals/${mealId}`, { token });
      return res.json.status === status ? res.json : undefined;
    }, ms);

  return { count, waitStatus };
}
