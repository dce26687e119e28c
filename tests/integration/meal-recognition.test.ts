import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeInferenceServer, startFakeInferenceServer } from '../support/fake-inference-server';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * Photos with a model server: a real local server speaking the Open Inference Protocol (KServe v2) stands
 * in for Triton/MLServer. Covers recognition, retry-then-success, a timed-out call, a non-retryable
 * rejection falling back to asking the person, and EXIF/GPS never reaching storage or the model.
 */
let h: Harness;
let model: FakeInferenceServer;
beforeAll(async () => {
  model = await startFakeInferenceServer();
  h = await startHarness({ env: { INFERENCE_URL: model.url, INFERENCE_TIMEOUT_MS: '1000' } });
});
afterAll(async () => {
  await h?.stop();
  await model?.close();
});
beforeEach(() => {
  model.delayMs = 0;
  model.defaultItems = [
    { label: 'banana', confidence: 0.91 },
    { label: 'scrambled_eggs', confidence: 0.72, grams: 120 },
    { label: 'plate', confidence: 0.1 },
  ];
});

/** A JPEG carrying EXIF with GPS coordinates, as phones write them. */
const photoWithGps = () =>
  sharp({ create: { width: 900, height: 600, channels: 3, background: '#e9c46a' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();

const upload = async (token: string, fields: Record<string, string> = {}) => {
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(await photoWithGps())], { type: 'image/jpeg' }), 'lunch.jpg');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return h.call('POST', '/v1/meals', { token, form });
};
const waitStatus = (token: string, mealId: string, status: string, ms = 40_000) =>
  eventually(async () => {
    const res = await h.call('GET', `/v1/meals/${mealId}`, { token });
    return res.json.status === status ? res.json : undefined;
  }, ms);
const step = (meal: any, name: string) => meal.steps.find((s: any) => s.name === name);

describe('photo meals with a model server', () => {
  it('recognises the photo, maps labels to foods like text, and strips EXIF/GPS before storage and inference', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    expect((await sharp(await photoWithGps()).metadata()).exif?.length).toBeGreaterThan(0); // the upload does carry EXIF
    const before = model.inferCount;
    const res = await upload(token, { mealType: 'breakfast' });
    expect(res.status).toBe(202);
    const meal = await waitStatus(token, res.json.mealId, 'completed');
    expect(model.inferCount - before).toBe(1);
    expect(step(meal, 'recognize')).toMatchObject({ status: 'completed', required: false });
    expect(step(meal, 'preprocess')).toMatchObject({ status: 'completed', required: true });
    // Labels under the confidence floor ("plate" at 0.1) are not food.
    expect(meal.items.map((i: any) => i.recognized)).toEqual([true, true]);
    expect(meal.items[0].name).toMatch(/banana/);
    expect(meal.items[1]).toMatchObject({ grams: 120 });
    expect(meal.totals.kcal).toBeGreaterThan(100);

    // What the model received: a decoded, metadata-free JPEG no larger than 512 px.
    const seen = await sharp(model.lastImage!).metadata();
    expect(seen.format).toBe('jpeg');
    expect(seen.exif).toBeUndefined();
    expect(Math.max(seen.width!, seen.height!)).toBeLessThanOrEqual(512);
    // What was stored: also metadata-free.
    const row = await h.database.sql`select image_key from app.meals where id = ${res.json.mealId}`;
    const stored = await sharp((await h.images.get(row[0]!.image_key as string))!).metadata();
    expect(stored.exif).toBeUndefined();
  });

  it('retries a failing model server and succeeds (503 twice, then an answer)', async () => {
    const token = await h.token(h.newUser());
    const before = model.inferCount;
    model.failNext(2, 503);
    const res = await upload(token);
    const meal = await waitStatus(token, res.json.mealId, 'completed');
    expect(model.inferCount - before).toBe(3);
    expect(step(meal, 'recognize')).toMatchObject({ status: 'completed', attempts: 3 });
    expect(meal.items.some((i: any) => /banana/.test(i.name))).toBe(true);
  });

  it('treats a call that exceeds INFERENCE_TIMEOUT_MS as retryable and succeeds on the next attempt', async () => {
    const token = await h.token(h.newUser());
    const before = model.inferCount;
    model.delayMs = 3_000;
    const res = await upload(token);
    await eventually(async () => model.inferCount - before >= 1);
    model.delayMs = 0;
    const meal = await waitStatus(token, res.json.mealId, 'completed');
    expect(model.inferCount - before).toBe(2);
    expect(step(meal, 'recognize')).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('does not retry a rejection (400): it asks the person instead, then completes from their answer', async () => {
    const token = await h.token(h.newUser());
    const before = model.inferCount;
    model.rawNext(400, JSON.stringify({ error: 'bad input tensor' }));
    const res = await upload(token);
    const waiting = await waitStatus(token, res.json.mealId, 'needs_input');
    expect(model.inferCount - before).toBe(1);
    expect(waiting.question).toMatch(/could not be recognised/);
    expect(step(waiting, 'recognize')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('InferenceRejected'),
    });
    expect(
      (
        await h.call('POST', `/v1/meals/${res.json.mealId}/description`, {
          token,
          body: { description: 'grilled salmon with rice' },
        })
      ).status,
    ).toBe(202);
    const meal = await waitStatus(token, res.json.mealId, 'completed');
    expect(meal.items.map((i: any) => i.recognized)).toEqual([true, true]);
    expect(meal.warnings.some((w: string) => /recognize did not complete/.test(w))).toBe(true);
  });

  it('uses the description, not the model, when the person gives both', async () => {
    const token = await h.token(h.newUser());
    const before = model.inferCount;
    const res = await upload(token, { description: 'a medium apple' });
    const meal = await waitStatus(token, res.json.mealId, 'completed');
    expect(model.inferCount - before).toBe(0);
    expect(step(meal, 'recognize').status).toBe('skipped');
    expect(meal.items[0].name).toMatch(/apple/);
  });
});
