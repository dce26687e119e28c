import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createKServeClient, normalizeLabel } from '../../src/adapters/inference';
import { photo } from '../fixtures/images';
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
 * The KServe v2 inference client against a fake model server: readiness, and classify's request and answer
 * (layouts, top candidates, path prefix and credentials). Failed classifications: inference-client-failures.test.ts.
 */
useKServeTestServer();

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

describe('normalizeLabel', () => {
  it('turns underscores into spaces, lower-cases and trims', () => {
    expect(normalizeLabel('  Apple_Pie ')).toBe('apple pie');
    expect(normalizeLabel('CHICKEN__curry')).toBe('chicken curry');
    expect(normalizeLabel('stir-fry')).toBe('stir-fry');
  });
});

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
