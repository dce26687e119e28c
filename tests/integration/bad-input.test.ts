import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEnvelope } from '../support/envelope';
import { type Harness, startHarness } from '../support/harness';

/**
 * Issue 12, items 10, 11, 12 and 15: every bad request is answered 4xx in the contract's envelope (never 500,
 * never a misleading status), and nothing is stored for it.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Res = { status: number; json: any; headers: Headers };

/** A 422 whose details name `path`. */
function expect422At(res: Res, path: string) {
  expectEnvelope(res, 422, 'validation');
  expect(
    (res.json.error.details as { path: string }[]).map((d) => d.path),
    JSON.stringify(res.json),
  ).toContain(path);
}

/** A request as sent, byte for byte: the harness's `call` always sets a JSON Content-Type. */
async function raw(
  method: string,
  url: string,
  init: { token?: string; body?: string | Uint8Array | FormData; contentType?: string } = {},
): Promise<Res> {
  const headers: Record<string, string> = {};
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.contentType) headers['Content-Type'] = init.contentType;
  const res = await h.app.request(url, { method, headers, body: init.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers };
}

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

async function mealCount(userId: string): Promise<number> {
  const [row] = await h.database.sql<
    { n: number }[]
  >`select count(*)::int as n from app.meals where user_id = ${userId}`;
  return row!.n;
}

async function journalCount(userId: string): Promise<number> {
  const [row] = await h.database.sql<
    { n: number }[]
  >`select count(*)::int as n from app.journal_entries where user_id = ${userId}`;
  return row!.n;
}

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

describe('item 11: control characters in stored text are a 422 with the field path, nothing stored', () => {
  it('meal descriptions (JSON and multipart) and batch items', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    expect422At(await h.call('POST', '/v1/meals', { token, body: { description: 'egg\u0000toast' } }), 'description');
    expect422At(await h.call('POST', '/v1/meals', { token, body: { description: 'egg\u001btoast' } }), 'description');
    const form = new FormData();
    form.set('description', 'porridge\u0000');
    expect422At(await h.call('POST', '/v1/meals', { token, form }), 'description');
    expect422At(
      await h.call('POST', '/v1/meals/batch', {
        token,
        body: { items: [{ description: 'a banana' }, { description: 'toast\u0000' }] },
      }),
      'items.1.description',
    );
    expect(await mealCount(userId)).toBe(0);
    // The needs_input answer: validated before the meal is even looked up.
    expect422At(
      await h.call('POST', `/v1/meals/${randomUUID()}/description`, { token, body: { description: 'rice\u0000' } }),
      'description',
    );
  });

  it('tab, newline and carriage return stay allowed', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    const res = await h.call('POST', '/v1/journal-entries', { token, body: { text: 'line one\r\n\tline two\n' } });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
  });

  it('journal text, Idempotency-Key, crisis notes and outcomes, schedule notes', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    expect422At(await h.call('POST', '/v1/journal-entries', { token, body: { text: 'tired\u0000' } }), 'text');
    expect422At(
      await h.call('POST', '/v1/journal-entries', {
        token,
        body: { text: 'tired' },
        headers: { 'Idempotency-Key': 'key\u0001' },
      }),
      'idempotency-key',
    );
    expect(await journalCount(userId)).toBe(0);

    const staff = await h.token('nurse-nul', 'staff');
    const caseId = randomUUID();
    expect422At(
      await h.call('POST', `/v1/crisis/cases/${caseId}/notes`, { token: staff, body: { note: 'x\u0000y' } }),
      'note',
    );
    expect422At(
      await h.call('POST', `/v1/crisis/cases/${caseId}/resolve`, {
        token: staff,
        body: { outcome: 'no_risk_found', note: 'fine\u0007' },
      }),
      'note',
    );
    const admin = await h.token('ops-nul', 'admin');
    expect422At(
      await h.call('POST', '/v1/schedules/maintenance-cleanup/pause', { token: admin, body: { note: 'x\u0000' } }),
      'note',
    );
  });
});

describe('item 12: dates are bounded, and stored dates out of range still read', () => {
  it('eatenAt: from 2000-01-01 to now + 1 day', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    for (const eatenAt of [
      '0049-06-01T12:00:00Z',
      '0000-01-01T00:00:00Z',
      '1999-12-31T23:59:59Z',
      new Date(Date.now() + 2 * 86_400_000).toISOString(),
    ]) {
      expect422At(await h.call('POST', '/v1/meals', { token, body: { description: 'toast', eatenAt } }), 'eatenAt');
      expect422At(
        await h.call('POST', '/v1/meals/batch', { token, body: { items: [{ description: 'toast', eatenAt }] } }),
        'items.0.eatenAt',
      );
    }
    expect(await mealCount(userId)).toBe(0);
    for (const eatenAt of ['2000-01-01T00:00:00Z', new Date(Date.now() + 12 * 3_600_000).toISOString()]) {
      const ok = await h.call('POST', '/v1/meals', { token, body: { description: 'toast', eatenAt } });
      expect(ok.status, JSON.stringify(ok.json)).toBe(202);
    }
  });

  it('list ranges, statistics ranges, backfill ranges and weeks: 2000-01-01 to 2100-01-01', async () => {
    const token = await h.token(h.newUser());
    expect422At(await h.call('GET', '/v1/meals?from=0049-06-01T00:00:00Z', { token }), 'from');
    expect422At(await h.call('GET', '/v1/meals?to=2100-01-02T00:00:00Z', { token }), 'to');
    expect422At(await h.call('GET', '/v1/workflows/stats?from=0049-06-01T00:00:00Z', { token }), 'from');
    expect422At(await h.call('GET', '/v1/insights/weekly?weekStart=1990-01-01', { token }), 'weekStart');
    expect422At(await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: '1990-01-01' } }), 'weekStart');
    const admin = await h.token('ops-dates', 'admin');
    expect422At(
      await h.call('POST', '/v1/schedules/maintenance-cleanup/backfill', {
        token: admin,
        body: { start: '0049-06-01T00:00:00Z', end: '2026-01-01T00:00:00Z' },
      }),
      'start',
    );
  });

  it('the OpenAPI document states the ranges', async () => {
    const spec = (await h.call('GET', '/openapi.json')).json;
    const eatenAt = spec.components.schemas.StartMeal.properties.eatenAt;
    expect(JSON.stringify(eatenAt)).toMatch(/2000-01-01/);
    const from = (spec.paths['/v1/meals'].get.parameters as any[]).find((p) => p.name === 'from');
    expect(JSON.stringify(from)).toMatch(/2000-01-01.*2100-01-01/);
  });

  it('meals already stored with a year-49 or year-0 eatenAt still list, page and read', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const stored = ['0049-06-01 00:00:00+00', '0001-06-01 00:00:00+00 BC', '2026-03-01 12:00:00+00'];
    for (const [i, id] of ids.entries()) {
      await h.database.sql`
        insert into app.meals (id, user_id, description, eaten_at, meal_type, workflow_id, outcome, steps)
        values (${id}, ${userId}, 'old toast', ${stored[i]!}::timestamptz, 'unspecified', ${`meal-${id}`},
                'completed', '[]'::jsonb)`;
    }
    const all = await h.call('GET', '/v1/meals', { token });
    expect(all.status, JSON.stringify(all.json)).toBe(200);
    expect(all.json.items.map((m: any) => m.eatenAt)).toEqual([
      '2026-03-01T12:00:00.000Z',
      '0049-06-01T00:00:00.000Z',
      '0000-06-01T00:00:00.000Z',
    ]);
    // One at a time: the cursor carries the old dates and brings back each meal once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Res = await h.call('GET', `/v1/meals?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(page.status, JSON.stringify(page.json)).toBe(200);
      seen.push(...page.json.items.map((m: any) => m.mealId));
      cursor = page.json.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([ids[2], ids[0], ids[1]]);
    for (const id of ids) {
      const one = await h.call('GET', `/v1/meals/${id}`, { token });
      expect(one.status, JSON.stringify(one.json)).toBe(200);
    }
    expect((await h.call('GET', `/v1/meals/${ids[0]}`, { token })).json.eatenAt).toBe('0049-06-01T00:00:00.000Z');
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
