import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT } from '../../src/api/app';
import { expectEnvelope } from '../support/envelope';
import { type Harness, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('request ids', () => {
  it('generates one for every response and reuses an inbound one', async () => {
    const generated = await h.call('GET', '/health');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const reused = await h.call('GET', '/v1/meals', { headers: { 'X-Request-Id': 'trace-abc-123' } });
    expect(reused.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(reused.json.error.request_id).toBe('trace-abc-123');
  });
});

describe('error envelope', () => {
  it('401 without a token, with a malformed header, with a forged or expired token', async () => {
    expectEnvelope(await h.call('GET', '/v1/workflows'), 401, 'authentication', 'missing_token');
    expectEnvelope(
      await h.call('GET', '/v1/workflows', { headers: { Authorization: 'Token abc' } }),
      401,
      'authentication',
      'invalid_token',
    );
    expectEnvelope(
      await h.call('GET', '/v1/workflows', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad' }),
      401,
      'authentication',
      'invalid_token',
    );
  });

  it('400 for malformed JSON, 422 for invalid fields, unknown fields and a missing description', async () => {
    const token = await h.token(h.newUser());
    expectEnvelope(
      await h.call('POST', '/v1/meals', { token, body: '{"description": ' }),
      400,
      'validation',
      'malformed_json',
    );
    const tooLong = await h.call('POST', '/v1/meals', { token, body: { description: 'x'.repeat(2001) } });
    expectEnvelope(tooLong, 422, 'validation', 'invalid_request');
    expect(tooLong.json.error.details[0].path).toBe('description');
    expectEnvelope(
      await h.call('POST', '/v1/meals', { token, body: { description: 'egg', colour: 'red' } }),
      422,
      'validation',
    );
    expectEnvelope(
      await h.call('POST', '/v1/meals', { token, body: { description: 'egg', eatenAt: 'yesterday' } }),
      422,
      'validation',
    );
    expectEnvelope(
      await h.call('POST', '/v1/meals', { token, body: {} }),
      422,
      'validation',
      'description_or_image_required',
    );
    expectEnvelope(await h.call('GET', '/v1/meals?limit=1000', { token }), 422, 'validation');
  });

  it('403 when a user calls a staff-only endpoint', async () => {
    const token = await h.token(h.newUser(), 'user');
    expectEnvelope(
      await h.call('POST', '/codec/decode', { token, body: { payloads: [] } }),
      403,
      'authorization',
      'forbidden',
    );
  });

  it('404 for an unknown route and an unknown meal or run', async () => {
    const token = await h.token(h.newUser());
    expectEnvelope(await h.call('GET', '/v1/nothing-here', { token }), 404, 'not_found', 'route_not_found');
    expectEnvelope(await h.call('GET', '/nope'), 404, 'not_found', 'route_not_found');
    expectEnvelope(
      await h.call('GET', '/v1/meals/6f1c1b1e-0000-4000-8000-000000000000', { token }),
      404,
      'not_found',
      'meal_not_found',
    );
    expectEnvelope(await h.call('GET', '/v1/meals/not-a-uuid', { token }), 404, 'not_found', 'meal_not_found');
    expectEnvelope(
      await h.call('GET', '/v1/workflows/meal-unknown', { token }),
      404,
      'not_found',
      'workflow_not_found',
    );
    expectEnvelope(await h.call('POST', '/v1/workflows/meal-unknown/cancel', { token }), 404, 'not_found');
  });

  it('413 for a body over the limit', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', {
      token,
      body: JSON.stringify({ description: 'a'.repeat(JSON_BODY_LIMIT + 10) }),
    });
    expectEnvelope(res, 413, 'payload_too_large');
  });
});

describe('monitoring', () => {
  it('health, ping and readiness answer without a token', async () => {
    expect((await h.call('GET', '/health')).json).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/ping')).text).toBe('pong');
    const ready = await h.call('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json.ready).toBe(true);
  });

  it('detailed health reports every named check, and one check by name', async () => {
    const res = await h.callOps('GET', '/health/detailed');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.checks).sort()).toEqual([
      'crisis_alerts',
      'database',
      'disk',
      'image_store',
      'memory',
      'model_server',
      'temporal',
      'workers',
    ]);
    expect(res.json.checks.database.status).toBe('HEALTHY');
    expect(res.json.checks.workers.detail).toMatch(/default: [1-9]/);
    expect(['HEALTHY', 'DEGRADED']).toContain(res.json.status);
    const one = await h.callOps('GET', '/health/temporal');
    expect(one.json.status).toBe('HEALTHY');
    expect(typeof one.json.latency_ms).toBe('number');
    expectEnvelope(await h.callOps('GET', '/health/coffee-machine'), 404, 'not_found');
  });
});

describe('documentation', () => {
  it('serves an OpenAPI 3.1 document of the routes and a docs page with local assets', async () => {
    const spec = await h.call('GET', '/openapi.json');
    expect(spec.json.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/meals',
      '/v1/meals/{mealId}',
      '/v1/workflows',
      '/v1/workflows/{workflowId}',
      '/v1/workflows/{workflowId}/cancel',
      '/health',
      '/ready',
      '/codec/decode',
    ]) {
      expect(spec.json.paths, p).toHaveProperty([p]);
    }
    expect(spec.json.components.schemas).toHaveProperty('Error');
    // Internals are on the ops port only: not in the public document, and 404 on the public port.
    for (const p of ['/health/detailed', '/health/{check}', '/metrics'])
      expect(spec.json.paths).not.toHaveProperty([p]);
    for (const p of ['/health/detailed', '/health/database', '/metrics'])
      expectEnvelope(await h.call('GET', p), 404, 'not_found');
    const page = await h.call('GET', '/docs');
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    const asset = await h.app.request('/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe('codec endpoints', () => {
  it('staff decode what the codec encoded, with CORS for the Web UI origin', async () => {
    const token = await h.token('nurse-1', 'staff');
    const plain = defaultPayloadConverter.toPayload({ description: 'porridge' });
    const [encrypted] = await h.codec.encode([plain]);
    const toJson = (p: typeof plain) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
      ),
      data: Buffer.from(p.data!).toString('base64'),
    });
    const origin = h.config.uiOrigins[0]!;
    const res = await h.call('POST', '/codec/decode', {
      token,
      body: { payloads: [toJson(encrypted!)] },
      headers: { Origin: origin },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(Buffer.from(res.json.payloads[0].data, 'base64').toString()).toBe('{"description":"porridge"}');
    const enc = await h.call('POST', '/codec/encode', { token, body: { payloads: [toJson(plain)] } });
    expect(Buffer.from(enc.json.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const preflight = await h.app.request('/codec/decode', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });
});
