import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnvelopeResponse as Res, expectEnvelope } from '../support/envelope';
import { type Harness, startHarness } from '../support/harness';
import { storedCounts } from '../support/stored-counts';

/**
 * Issue 12, items 10 and 15: a wrong Content-Type, a wrong role, a wrong method or a body too large is answered
 * 4xx in the contract's envelope (never 500, never a misleading status), and nothing is stored for it.
 * Items 11 and 12 (control characters, date ranges): bad-input-field-values.test.ts.
 */
let h: Harness;
const { mealCount } = storedCounts(() => h);
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A request as sent, byte for byte, with the Content-Type given or none (the harness's JSON one is not added). */
const raw = (
  method: string,
  url: string,
  init: { token: string; body: string | Uint8Array; contentType?: string },
): Promise<Res> =>
  h.call(method, url, {
    token: init.token,
    rawBody: init.body,
    headers: init.contentType ? { 'Content-Type': init.contentType } : {},
  });

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('item 10: a wrong or missing Content-Type is a 415, not a 500 or a misleading 422', () => {
  it('JSON routes answer 415 "send application/json" for text/plain, form and missing content types', async () => {
    const user = await h.token(h.newUser());
    const staff = await h.token('nurse-415', 'staff');
    const admin = await h.token('ops-415', 'admin');
    const caseId = randomUUID();
    const cases: [string, string, string, unknown][] = [
      ['POST', '/v1/journal-entries', user, { text: 'a quiet day' }],
      ['POST', '/v1/meals/batch', user, { items: [{ description: 'a banana' }] }],
      ['POST', `/v1/meals/${randomUUID()}/description`, user, { description: 'rice' }],
      ['PUT', '/v1/me/insights-schedule', user, { dayOfWeek: 'monday', time: '08:00', timezone: 'UTC' }],
      [
        'PUT',
        '/v1/me/profile',
        user,
        { sex: 'female', ageYears: 34, heightCm: 168, weightKg: 63, activity: 'moderate' },
      ],
      ['POST', `/v1/crisis/cases/${caseId}/notes`, staff, { note: 'called, no answer' }],
      ['POST', `/v1/crisis/cases/${caseId}/resolve`, staff, { outcome: 'no_risk_found' }],
      [
        'POST',
        '/v1/schedules/maintenance-cleanup/backfill',
        admin,
        { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
      ],
    ];
    for (const [method, url, token, body] of cases) {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
        const res = await raw(method, url, {
          token,
          contentType,
          body: contentType === 'application/x-www-form-urlencoded' ? 'text=hello' : bytes(body),
        });
        expectEnvelope(res, 415, 'validation', 'unsupported_media_type');
        expect(res.json.error.message, `${method} ${url} ${contentType}`).toMatch(/application\/json/);
      }
    }
  });

  it('POST /v1/meals answers 415 naming JSON and multipart for a form-urlencoded or text body', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'description=2+eggs'],
      ['text/plain', '{"description":"2 eggs"}'],
    ] as const) {
      const res = await raw('POST', '/v1/meals', { token, contentType, body });
      expectEnvelope(res, 415, 'validation', 'unsupported_media_type');
      expect(res.json.error.message).toMatch(/application\/json/);
      expect(res.json.error.message).toMatch(/multipart\/form-data/);
    }
    expect(await mealCount(userId)).toBe(0);
  });

  it('the OpenAPI document declares 415 on every operation with a request body', async () => {
    const spec = (await h.call('GET', '/openapi.json')).json;
    const missing: string[] = [];
    let withBody = 0;
    for (const [p, ops] of Object.entries<Record<string, any>>(spec.paths))
      for (const [m, op] of Object.entries<any>(ops))
        if (op?.requestBody) {
          withBody++;
          if (!op.responses?.['415']) missing.push(`${m.toUpperCase()} ${p}`);
        }
    expect(withBody).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe('item 15: role before body, 405 for a wrong method, Connection: close after 413', () => {
  it('a user gets 403 from staff and admin routes whatever the body', async () => {
    const user = await h.token(h.newUser());
    const caseId = randomUUID();
    const requests: [string, string, unknown][] = [
      ['POST', `/v1/crisis/cases/${caseId}/notes`, {}],
      ['POST', `/v1/crisis/cases/${caseId}/resolve`, { outcome: 'maybe' }],
      ['POST', '/v1/crisis/rescreens', { days: -1 }],
      ['POST', '/v1/schedules/maintenance-cleanup/backfill', { start: 'yesterday' }],
      ['POST', '/v1/schedules/maintenance-cleanup/pause', { note: 7 }],
      ['GET', '/v1/crisis/cases?status=sideways', undefined],
      ['POST', '/codec/decode', { payloads: 'none' }],
    ];
    for (const [method, url, body] of requests) {
      expectEnvelope(await h.call(method, url, { token: user, body }), 403, 'authorization', 'forbidden');
      if (body !== undefined)
        expectEnvelope(
          await raw(method, url, { token: user, contentType: 'text/plain', body: 'nope' }),
          403,
          'authorization',
          'forbidden',
        );
    }
  });

  it('a wrong method on an existing path is a 405 with Allow; an unknown path stays 404', async () => {
    const token = await h.token(h.newUser());
    const cases: [string, string, string[]][] = [
      ['DELETE', '/v1/meals', ['GET', 'POST']],
      ['PUT', `/v1/journal-entries/${randomUUID()}`, ['GET']],
      ['PATCH', `/v1/meals/${randomUUID()}`, ['GET']],
      ['GET', '/v1/journal-entries', ['POST']],
      ['DELETE', '/v1/schedules/maintenance-cleanup/trigger', ['POST']],
    ];
    for (const [method, url, allowed] of cases) {
      const res = await h.call(method, url, { token });
      expectEnvelope(res, 405, 'validation', 'method_not_allowed');
      const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
      for (const m of allowed) expect(allow, `${method} ${url}`).toContain(m);
      expect(allow).not.toContain(method);
    }
    expectEnvelope(await h.call('GET', '/v1/nothing-here', { token }), 404, 'not_found');
  });

  it('a 413 says Connection: close, and the server closes the connection', async () => {
    const token = await h.token(h.newUser());
    const big = { text: 'x'.repeat(100_000) };
    const res = await h.call('POST', '/v1/journal-entries', { token, body: big });
    expectEnvelope(res, 413, 'payload_too_large');
    expect(res.headers.get('connection')).toBe('close');

    // Over a real socket: the response says close and the server ends the connection after it.
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    try {
      const { port } = server.address() as AddressInfo;
      const body = JSON.stringify(big);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let got = '';
        socket.on('data', (d) => (got += d.toString()));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
        setTimeout(() => reject(new Error(`socket still open after 5 s; got: ${got.slice(0, 300)}`)), 5000).unref();
        socket.write(
          `POST /v1/journal-entries HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n` +
            `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    } finally {
      server.close();
    }
  });
});
