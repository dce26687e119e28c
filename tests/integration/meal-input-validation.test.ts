import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness';
import { MEAL_POLICY_ENV, jpeg, mealQueries, photoForm } from '../support/meal-requests';

/**
 * Meal input validation on a real dev server and database (set up as for the step policies,
 * meal-step-policies.test.ts): a bad upload or description gets a clear envelope, nothing is stored and no run
 * starts; an answer for an unknown, another person's or a finished meal is refused.
 */
let h: Harness;
const { count, waitStatus } = mealQueries(() => h);
beforeAll(async () => {
  h = await startHarness({ env: MEAL_POLICY_ENV });
});
afterAll(async () => {
  await h?.stop();
});

describe('meal input validation: a clear envelope, nothing stored, nothing started', () => {
  const cases: [string, (token: string) => Promise<{ status: number; json: any }>, number, string][] = [
    [
      'empty JSON object',
      (t) => h.call('POST', '/v1/meals', { token: t, body: {} }),
      422,
      'description_or_image_required',
    ],
    ['empty body', (t) => h.call('POST', '/v1/meals', { token: t, body: '' }), 400, ''],
    [
      'description over 2,000 characters',
      (t) => h.call('POST', '/v1/meals', { token: t, body: { description: 'a'.repeat(2001) } }),
      422,
      'invalid_request',
    ],
    [
      'a text file named .jpg',
      async (t) =>
        h.call('POST', '/v1/meals', {
          token: t,
          form: await photoForm({}, Buffer.from('this is not a photo at all, just text\n'.repeat(20))),
        }),
      422,
      '',
    ],
    [
      'a GIF',
      async (t) =>
        h.call('POST', '/v1/meals', {
          token: t,
          form: await photoForm(
            {},
            await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
              .gif()
              .toBuffer(),
            'x.gif',
            'image/gif',
          ),
        }),
      422,
      'unsupported_format',
    ],
    [
      'an image over 10 MB',
      async (t) =>
        h.call('POST', '/v1/meals', {
          token: t,
          form: await photoForm({}, Buffer.concat([await jpeg(), Buffer.alloc(10 * 1024 * 1024 + 10)])),
        }),
      413,
      '',
    ],
    [
      'an unknown meal type in a form',
      async (t) => h.call('POST', '/v1/meals', { token: t, form: await photoForm({ mealType: 'brunchy' }) }),
      422,
      'invalid_request',
    ],
  ];
  for (const [name, send, status, code] of cases) {
    it(`rejects ${name} with ${status}`, async () => {
      const user = h.newUser();
      const token = await h.token(user);
      const res = await send(token);
      expect(res.status).toBe(status);
      expect(res.json.error).toMatchObject({
        category: expect.any(String),
        message: expect.any(String),
        request_id: expect.any(String),
      });
      if (code) expect(res.json.error.code).toBe(code);
      expect(await count('meals', user)).toBe(0);
    });
  }

  it('answers 404 for an unknown meal and for another user’s meal, and 409 for answering a meal that is not waiting', async () => {
    const alice = await h.token(h.newUser());
    const bob = await h.token(h.newUser());
    expect(
      (
        await h.call('POST', '/v1/meals/00000000-0000-4000-8000-000000000000/description', {
          token: alice,
          body: { description: 'toast' },
        })
      ).status,
    ).toBe(404);
    const res = await h.call('POST', '/v1/meals', { token: alice, body: { description: 'an apple' } });
    expect(
      (await h.call('POST', `/v1/meals/${res.json.mealId}/description`, { token: bob, body: { description: 'toast' } }))
        .status,
    ).toBe(404);
    await waitStatus(alice, res.json.mealId, 'completed');
    const late = await h.call('POST', `/v1/meals/${res.json.mealId}/description`, {
      token: alice,
      body: { description: 'toast' },
    });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('meal_not_waiting');
  });
});
