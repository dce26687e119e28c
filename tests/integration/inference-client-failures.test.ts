import { describe, expect, it } from 'vitest';
import { createKServeClient } from '../../src/adapters/inference';
import {
  MODEL,
  client,
  closedPortUrl,
  failure,
  image,
  server,
  useKServeTestServer,
} from '../support/kserve-test-server';

/**
 * How the KServe v2 inference client fails against a fake model server: timeouts, aborts, HTTP statuses, refused
 * connections and malformed answers, each retryable or not. Readiness and successful classify:
 * inference-client-classify.test.ts.
 */
useKServeTestServer();

describe('classify failures', () => {
  it('a slow server times out as retryable', async () => {
    server.delayMs = 1_000;
    const err = await failure(client({ timeoutMs: 150 }).classify(image));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(err.message).toContain('150 ms');
  });

  it('a caller abort is rethrown as-is, not as a model-server failure', async () => {
    server.delayMs = 1_000;
    const controller = new AbortController();
    const p = client().classify(image, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('activity cancelled')), 50);
    await expect(p).rejects.toThrow('activity cancelled');
  });

  it('503 is retryable, and the next attempt succeeds (Temporal does the retrying)', async () => {
    server.failNext(2, 503, { 'retry-after': '3' });
    const c = client();
    const before = server.inferCount;
    const err = await failure(c.classify(image));
    expect(err).toMatchObject({ code: 'server_error', retryable: true, status: 503, retryAfterMs: 3_000 });
    expect(server.inferCount - before).toBe(1); // no hidden retry loop
    await failure(c.classify(image));
    expect((await c.classify(image)).items.length).toBeGreaterThan(0);
  });

  it('429 is retryable', async () => {
    server.failNext(1, 429);
    expect(await failure(client().classify(image))).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('connection refused is retryable', async () => {
    const err = await failure(createKServeClient({ baseUrl: await closedPortUrl(), model: MODEL }).classify(image));
    expect(err).toMatchObject({ code: 'unavailable', retryable: true });
    expect(err.message).not.toContain('127.0.0.1');
  });

  it('400 is not retryable, and the message never contains the image', async () => {
    const b64 = image.toString('base64');
    server.rawNext(400, JSON.stringify({ error: `bad input: ${b64}` }));
    const err = await failure(client().classify(image));
    expect(err).toMatchObject({ code: 'bad_request', retryable: false, status: 400 });
    expect(err.message).toContain('bad input');
    expect(err.message).not.toContain(b64.slice(0, 40));
  });

  it('an unknown model is not retryable (404, and Triton-style 400)', async () => {
    expect(await failure(client({ model: 'no-such-model' }).classify(image))).toMatchObject({
      code: 'model_not_found',
      retryable: false,
      status: 404,
    });
    server.rawNext(400, JSON.stringify({ error: "Request for unknown model: 'x' is not found" }));
    expect(await failure(client().classify(image))).toMatchObject({ code: 'model_not_found', retryable: false });
  });

  it('truncated JSON is malformed, not retryable', async () => {
    server.malformedNext();
    expect(await failure(client().classify(image))).toMatchObject({ code: 'malformed_response', retryable: false });
  });

  it.each([
    ['no outputs', { model_name: MODEL }],
    ['unknown outputs', { outputs: [{ name: 'logits', datatype: 'FP32', shape: [2], data: [1.5, -2] }] }],
    ['labels without scores', { outputs: [{ name: 'label', datatype: 'BYTES', shape: [1], data: ['soup'] }] }],
    [
      'length mismatch',
      {
        outputs: [
          { name: 'label', datatype: 'BYTES', shape: [2], data: ['soup', 'salad'] },
          { name: 'confidence', datatype: 'FP32', shape: [1], data: [0.9] },
        ],
      },
    ],
    [
      'scores that are not probabilities',
      {
        outputs: [
          { name: 'label', datatype: 'BYTES', shape: [1], data: ['soup'] },
          { name: 'score', datatype: 'FP32', shape: [1], data: [87] },
        ],
      },
    ],
    [
      'negative grams',
      {
        outputs: [
          { name: 'label', datatype: 'BYTES', shape: [1], data: ['soup'] },
          { name: 'score', datatype: 'FP32', shape: [1], data: [0.8] },
          { name: 'grams', datatype: 'FP32', shape: [1], data: [-5] },
        ],
      },
    ],
  ])('%s is malformed, not retryable', async (_, body) => {
    server.rawNext(200, JSON.stringify(body));
    expect(await failure(client().classify(image))).toMatchObject({ code: 'malformed_response', retryable: false });
  });

  it('accepts nested data and base64 BYTES outputs', async () => {
    server.rawNext(
      200,
      JSON.stringify({
        outputs: [
          {
            name: 'labels',
            datatype: 'BYTES',
            shape: [1, 2],
            data: [[b64('Pad_Thai'), b64('rice')]],
            parameters: { content_type: 'base64' },
          },
          { name: 'probabilities', datatype: 'FP32', shape: [1, 2], data: [[0.25, 0.75]] },
        ],
      }),
    );
    const result = await client().classify(image);
    expect(result).toEqual({
      model: MODEL,
      items: [
        { label: 'rice', confidence: 0.75 },
        { label: 'pad thai', confidence: 0.25 },
      ],
    });
  });
});

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}
