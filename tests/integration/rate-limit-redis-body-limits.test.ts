import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../src/api/middleware/body-limit';
import { closeLimitersAfterEach, expect429, setup, sleep } from '../support/rate-limited-app';

/**
 * The rate limits' Redis store (the local server at 127.0.0.1:6379, a key prefix unique to each test, so runs never
 * share counters) and the body limits, on a minimal app wired like src/api/app.ts (tests/support/rate-limited-app.ts).
 * The in-memory per-user and per-IP limits: rate-limit-per-user-ip.test.ts.
 */
const REDIS = 'redis://127.0.0.1:6379';

closeLimitersAfterEach();

describe('Redis store', () => {
  it('two limiter instances (two API processes) share one budget', async () => {
    const keyPrefix = `wellflow-test:${randomUUID()}`;
    const a = setup({ REDIS_URL: REDIS, RATE_LIMIT_USER_PER_MIN: '4' }, { keyPrefix });
    const b = setup({ REDIS_URL: REDIS, RATE_LIMIT_USER_PER_MIN: '4' }, { keyPrefix });
    expect(await a.limiter.ready()).toBe(true);
    expect(await b.limiter.ready()).toBe(true);
    expect((await a.call('/v1/thing', { sub: 'nina' })).status).toBe(200);
    expect((await b.call('/v1/thing', { sub: 'nina' })).status).toBe(200);
    expect((await a.call('/v1/thing', { sub: 'nina' })).status).toBe(200);
    const last = await b.call('/v1/thing', { sub: 'nina' });
    expect(last.status).toBe(200);
    expect(last.headers.get('ratelimit-remaining')).toBe('0');
    expect429(await a.call('/v1/thing', { sub: 'nina' }), 'user');
    expect429(await b.call('/v1/thing', { sub: 'nina' }), 'user');
    // Another user on the same store still has a full budget.
    expect((await b.call('/v1/thing', { sub: 'otto' })).status).toBe(200);
    expect(a.lines.filter((l) => l.level === 40)).toEqual([]);
  });

  it('shares the burst allowance and recovers after the window', async () => {
    const keyPrefix = `wellflow-test:${randomUUID()}`;
    const env = { REDIS_URL: REDIS, RATE_LIMIT_USER_PER_MIN: '1', RATE_LIMIT_BURST: '1' };
    const a = setup(env, { keyPrefix, durationSeconds: 1 });
    const b = setup(env, { keyPrefix, durationSeconds: 1 });
    await Promise.all([a.limiter.ready(), b.limiter.ready()]);
    expect((await a.call('/v1/thing', { sub: 'pia' })).status).toBe(200);
    expect((await b.call('/v1/thing', { sub: 'pia' })).status).toBe(200); // the burst
    expect429(await a.call('/v1/thing', { sub: 'pia' }), 'user');
    await sleep(1_100);
    expect((await b.call('/v1/thing', { sub: 'pia' })).status).toBe(200);
  });

  it('fails open with a warning when Redis is unreachable, still limiting per process', async () => {
    const { call, limiter, lines } = setup({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_USER_PER_MIN: '3' });
    expect(await limiter.ready(300)).toBe(false);
    for (let i = 0; i < 3; i++) expect((await call('/v1/thing', { sub: 'quinn' })).status).toBe(200);
    // The in-memory insurance limiter keeps the quota within this process.
    expect429(await call('/v1/thing', { sub: 'quinn' }), 'user');
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1); // once per outage, not per request
    expect(String(warnings[0]!.msg)).toMatch(/Redis unavailable.*fail open/);
  });
});

describe('body limits', () => {
  it('limits JSON routes to 64 KB with the 413 envelope', async () => {
    const { call } = setup({});
    const small = await call('/v1/meals', {
      sub: 'rae',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(BODY_LIMITS.json),
    });
    expect(small.json).toEqual({ bytes: BODY_LIMITS.json });
    const big = await call('/v1/meals', {
      sub: 'rae',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(BODY_LIMITS.json + 1),
    });
    expect(big.status).toBe(413);
    expect(big.json.error).toMatchObject({ category: 'payload_too_large', code: 'payload_too_large' });
  });

  it('gives the photo upload and batch routes their larger limits, and no other route', async () => {
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '100' });
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(2 * 1024 * 1024)], { type: 'image/jpeg' }), 'a.jpg');
    expect((await call('/v1/meals', { sub: 'sam', method: 'POST', body: form })).status).toBe(200);
    const onJournal = new FormData();
    onJournal.set('image', new Blob([new Uint8Array(200 * 1024)]), 'a.jpg');
    expect((await call('/v1/journal-entries', { sub: 'sam', method: 'POST', body: onJournal })).status).toBe(413);
    const batch = 'é'.repeat(1024 * 1024); // 2 MB of valid non-Latin text
    expect(
      (
        await call('/v1/meals/batch', {
          sub: 'sam',
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: batch,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('/v1/meals/batch', {
          sub: 'sam',
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: 'x'.repeat(BODY_LIMITS.batch + 1),
        })
      ).status,
    ).toBe(413);
  });
});
