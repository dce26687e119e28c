import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InferenceError, createKServeClient, normalizeLabel } from '../../src/adapters/inference';
import { photo } from '../fixtures/images';
import { type FakeInferenceServer, startFakeInferenceServer } from '../support/fake-inference-server';

const MODEL = 'food-classifier';
let server: FakeInferenceServer;
let image: Buffer;

beforeAll(async () => {
  server = await startFakeInferenceServer({ models: [MODEL, 'loading-model'] });
  image = await photo('jpeg', 64, 48);
});
afterAll(() => server.close());
afterEach(() => {
  server.delayMs = 0;
  server.serverReady = true;
  server.notReadyModels.clear();
  server.outputStyle = 'tensors';
  server.requiredAuthorization = undefined;
  server.defaultItems = [{ label: 'unknown_food', confidence: 0.5 }];
});

const client = (over: Partial<Parameters<typeof createKServeClient>[0]> = {}) =>
  createKServeClient({ baseUrl: server.url, model: MODEL, timeoutMs: 2_000, ...over });

async function failure(p: Promise<unknown>): Promise<InferenceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InferenceError);
    return err as InferenceError;
  }
  throw new Error('expected an InferenceError');
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('readiness', () => {
  it('is ready when the server and the model are', async () => {
    expect(await client().ready()).toEqual({
      ready: true,
      server: true,
      model: true,
      detail: `model "${MODEL}" ready`,
    });
    const paths = server.requests
      .slice(-2)
      .map((r) => r.path)
      .sort();
    expect(paths).toEqual(['/v2/health/ready', `/v2/models/${MODEL}/ready`]);
  });

  it('is not ready when the server is not', async () => {
    server.serverReady = false;
    const r = await client().ready();
    expect(r).toMatchObject({ ready: false, server: false });
    expect(r.detail).toContain('503');
  });

  it('is not ready while the model is loading, or when it does not exist', async () => {
    server.notReadyModels.add('loading-model');
    expect(await client({ model: 'loading-model' }).ready()).toMatchObject({
      ready: false,
      server: true,
      model: false,
    });
    expect(await client({ model: 'no-such-model' }).ready()).toMatchObject({
      ready: false,
      server: true,
      model: false,
    });
  });

  it('answers false (does not throw) when nothing listens', async () => {
    const r = await createKServeClient({ baseUrl: await closedPortUrl(), model: MODEL }).ready();
    expect(r).toMatchObject({ ready: false, server: false, model: false });
    expect(r.detail).toContain('ECONNREFUSED');
  });
});

describe('classify', () => {
  it('sends the JPEG as one base64 BYTES tensor and normalises the answer', async () => {
    server.answerFor(sha(image), [
      { label: 'French_Fries', confidence: 0.2, grams: 90 },
      { label: 'Apple_Pie', confidence: 0.7, grams: 120 },
      { label: 'ice_cream', confidence: 0.1, grams: 60 },
    ]);
    const result = await client().classify(image, { requestId: 'req-1' });
    expect(result).toEqual({
      model: MODEL,
      modelVersion: '1',
      items: [
        { label: 'apple pie', confidence: 0.7, grams: 120 },
        { label: 'french fries', confidence: 0.2, grams: 90 },
        { label: 'ice cream', confidence: 0.1, grams: 60 },
      ],
    });
    expect(server.lastInput).toEqual({
      name: 'image',
      datatype: 'BYTES',
      shape: [1],
      parameters: { content_type: 'base64' },
    });
    expect(server.lastImage?.equals(image)).toBe(true);
    expect(JSON.parse(server.requests.at(-1)!.body).id).toBe('req-1');
  });

  it('falls back to the default answer for unknown images, sorted by confidence', async () => {
    server.defaultItems = [
      { label: 'salad', confidence: 0.3 },
      { label: 'Soup', confidence: 0.6 },
    ];
    const other = await photo('jpeg', 32, 32);
    const { items } = await client().classify(other);
    expect(items).toEqual([
      { label: 'soup', confidence: 0.6 },
      { label: 'salad', confidence: 0.3 },
    ]);
  });

  it.each(['json', 'classification'] as const)('reads the %s output layout too', async (style) => {
    server.outputStyle = style;
    const img = await photo('jpeg', 20, 20);
    server.answerFor(sha(img), [
      { label: 'sushi', confidence: 0.4 },
      { label: 'ramen', confidence: 0.55 },
    ]);
    const { items } = await client().classify(img);
    expect(items.map((i) => i.label)).toEqual(['ramen', 'sushi']);
  });

  it('keeps the top candidates only', async () => {
    const img = await photo('jpeg', 21, 21);
    server.answerFor(
      sha(img),
      Array.from({ length: 30 }, (_, i) => ({ label: `food_${i}`, confidence: i / 100 })),
    );
    const { items } = await client({ maxItems: 3 }).classify(img);
    expect(items.map((i) => i.label)).toEqual(['food 29', 'food 28', 'food 27']);
  });

  it('keeps a base URL path prefix and sends URL credentials as a header, never in messages', async () => {
    server.requiredAuthorization = `Basic ${Buffer.from('svc:s3cr3t').toString('base64')}`;
    const proxy = await prefixProxy('/serving', server.port);
    try {
      const withAuth = createKServeClient({
        baseUrl: `http://svc:s3cr3t@127.0.0.1:${proxy.port}/serving`,
        model: MODEL,
      });
      expect((await withAuth.classify(image)).items.length).toBeGreaterThan(0);
      expect(server.requests.at(-1)!.path).toBe(`/v2/models/${MODEL}/infer`);

      const wrong = createKServeClient({
        baseUrl: `http://svc:wrong-pw@127.0.0.1:${proxy.port}/serving`,
        model: MODEL,
      });
      const err = await failure(wrong.classify(image));
      expect(err).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
      expect(`${err.message} ${err.stack}`).not.toMatch(/wrong-pw|svc:|127\.0\.0\.1/);
    } finally {
      await proxy.close();
    }
  });
});

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

describe('normalizeLabel', () => {
  it('turns underscores into spaces, lower-cases and trims', () => {
    expect(normalizeLabel('  Apple_Pie ')).toBe('apple pie');
    expect(normalizeLabel('CHICKEN__curry')).toBe('chicken curry');
    expect(normalizeLabel('stir-fry')).toBe('stir-fry');
  });
});

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

/** A URL on which nothing listens: a port just released by the OS. */
async function closedPortUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** A reverse proxy serving the fake server under a path prefix, as an ingress would. */
async function prefixProxy(prefix: string, targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const proxy = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404).end();
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: url.slice(prefix.length), headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    port: (proxy.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        proxy.closeAllConnections();
        proxy.close(() => r());
      }),
  };
}
