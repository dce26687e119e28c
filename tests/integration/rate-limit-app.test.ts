import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness';

/** The limiter as mounted in the real app (src/api/app.ts): before auth and body limits, with the contract's envelope. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ workers: false, env: { RATE_LIMIT_USER_PER_MIN: '3', RATE_LIMIT_BURST: '0' } });
});
afterAll(async () => {
  await h?.stop();
});

describe('rate limits in the app', () => {
  it('answers 429 with Retry-After in the envelope after the configured burst, per user, and never limits health', async () => {
    const token = await h.token(h.newUser());
    for (let i = 0; i < 3; i++) {
      const ok = await h.call('GET', '/v1/meals', { token });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-remaining')).toBe(String(2 - i));
    }
    const limited = await h.call('GET', '/v1/meals', { token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.json.error).toMatchObject({
      category: 'rate_limited',
      code: 'rate_limited',
      details: { limit: 'user' },
    });
    expect(limited.json.error.request_id).toBe(limited.headers.get('x-request-id'));
    // Another person has their own budget; health checks are never limited.
    expect((await h.call('GET', '/v1/meals', { token: await h.token(h.newUser()) })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await h.call('GET', '/health')).status).toBe(200);
  });
});
