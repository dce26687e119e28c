import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnvelopeResponse as Res, expectEnvelope } from '../support/envelope';
import { type Harness, startHarness } from '../support/harness';
import { storedCounts } from '../support/stored-counts';

/**
 * Issue 12, items 11 and 12: control characters in stored text and dates out of range are a 422 in the contract's
 * envelope naming the field (never 500), and nothing is stored for them; dates already stored out of range still
 * read. Items 10 and 15 (Content-Type, role, method, body size): bad-input-protocol.test.ts.
 */
let h: Harness;
const { mealCount, journalCount } = storedCounts(() => h);
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A 422 whose details name `path`. */
function expect422At(res: Res, path: string) {
  expectEnvelope(res, 422, 'validation');
  expect(
    (res.json.error.details as { path: string }[]).map((d) => d.path),
    JSON.stringify(res.json),
  ).toContain(path);
}

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
