import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/api/auth';
import type { AppEnv } from '../../src/api/types';
import { closeLimitersAfterEach, expect429, setup, sleep } from '../support/rate-limited-app';

/**
 * The in-memory rate limits on a minimal app wired like src/api/app.ts (tests/support/rate-limited-app.ts): the
 * per-user and per-IP budgets, their headers and 429 envelope, and the routes never limited.
 * The Redis store and the body limits: rate-limit-redis-body-limits.test.ts.
 */
closeLimitersAfterEach();

describe('per-user limit (in memory)', () => {
  it('answers 429 with the envelope and Retry-After after the quota, with RateLimit headers on every response', async () => {
    const { call } = setup({});
    for (let i = 0; i < 5; i++) {
      const ok = await call('/v1/thing', { sub: 'alice' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-limit')).toBe('5');
      expect(ok.headers.get('ratelimit-remaining')).toBe(String(4 - i));
      expect(Number(ok.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    expect429(await call('/v1/thing', { sub: 'alice' }), 'user');
  });

  it('allows RATE_LIMIT_BURST extra requests before limiting', async () => {
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '3', RATE_LIMIT_BURST: '2' });
    for (let i = 0; i < 5; i++) expect((await call('/v1/thing', { sub: 'bob' })).status).toBe(200);
    expect429(await call('/v1/thing', { sub: 'bob' }), 'user');
  });

  it('recovers after the window', async () => {
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '2' }, { durationSeconds: 1 });
    expect((await call('/v1/thing', { sub: 'carol' })).status).toBe(200);
    expect((await call('/v1/thing', { sub: 'carol' })).status).toBe(200);
    const limited = await call('/v1/thing', { sub: 'carol' });
    expect429(limited, 'user');
    expect(limited.headers.get('retry-after')).toBe('1');
    await sleep(1_100);
    expect((await call('/v1/thing', { sub: 'carol' })).status).toBe(200);
  });

  it('keeps each user’s budget separate', async () => {
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '2' });
    await call('/v1/thing', { sub: 'dave' });
    await call('/v1/thing', { sub: 'dave' });
    expect429(await call('/v1/thing', { sub: 'dave' }), 'user');
    expect((await call('/v1/thing', { sub: 'erin' })).status).toBe(200);
    expect((await call('/v1/thing', { sub: 'erin' })).status).toBe(200);
  });

  it('does not let a forged token spend another user’s budget', async () => {
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '2' });
    const forged = await signToken('some-other-secret-0123456789abcdef0123', { sub: 'frank', role: 'user' }, 600);
    for (let i = 0; i < 5; i++) expect((await call('/v1/thing', { token: forged })).status).toBe(401);
    expect((await call('/v1/thing', { sub: 'frank' })).status).toBe(200);
  });

  it('counts errors too, and carries the headers on them', async () => {
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '2' });
    const boom = await call('/v1/boom', { sub: 'gina' });
    expect(boom.status).toBe(409);
    expect(boom.headers.get('ratelimit-remaining')).toBe('1');
    expect((await call('/v1/nothing', { sub: 'gina' })).status).toBe(404);
    expect429(await call('/v1/thing', { sub: 'gina' }), 'user');
  });

  it('takes the user from auth (c.get("caller")) and checks no token itself', async () => {
    // An auth stand-in that trusts a header: the limiter still counts per user, so it never reads the token.
    const headerAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
      c.set('caller', { sub: c.req.header('X-Test-User') ?? 'nobody', role: 'user' });
      await next();
    };
    const { call } = setup({ RATE_LIMIT_USER_PER_MIN: '1' }, { auth: headerAuth });
    expect((await call('/v1/thing', { headers: { 'X-Test-User': 'hank' } })).status).toBe(200);
    expect429(await call('/v1/thing', { headers: { 'X-Test-User': 'hank' } }), 'user');
    expect((await call('/v1/thing', { headers: { 'X-Test-User': 'ivy' } })).status).toBe(200);
  });
});

describe('per-IP limit', () => {
  it('applies to anonymous requests, including ones auth rejects', async () => {
    const { call } = setup({ RATE_LIMIT_IP_PER_MIN: '3' });
    expect((await call('/public')).status).toBe(200);
    expect((await call('/v1/thing')).status).toBe(401);
    const third = await call('/public');
    expect(third.headers.get('ratelimit-limit')).toBe('3');
    expect(third.headers.get('ratelimit-remaining')).toBe('0');
    expect429(await call('/public'), 'ip');
    expect429(await call('/v1/thing'), 'ip');
  });

  it('also counts signed-in requests, and reports the limit that runs out first', async () => {
    const { call } = setup({ RATE_LIMIT_IP_PER_MIN: '3', RATE_LIMIT_USER_PER_MIN: '100' });
    expect((await call('/v1/thing', { sub: 'jack' })).headers.get('ratelimit-limit')).toBe('3');
    await call('/v1/thing', { sub: 'kim' });
    await call('/v1/thing', { sub: 'lee' });
    expect429(await call('/v1/thing', { sub: 'mia' }), 'ip');
  });

  it('uses the first X-Forwarded-For entry only when TRUST_PROXY is set', async () => {
    const trusted = setup({ RATE_LIMIT_IP_PER_MIN: '1', TRUST_PROXY: 'true' });
    expect((await trusted.call('/public', { headers: { 'X-Forwarded-For': '198.51.100.1, 10.0.0.1' } })).status).toBe(
      200,
    );
    expect((await trusted.call('/public', { headers: { 'X-Forwarded-For': '198.51.100.2, 10.0.0.1' } })).status).toBe(
      200,
    );
    expect429(await trusted.call('/public', { headers: { 'X-Forwarded-For': '198.51.100.1' } }), 'ip');

    const untrusted = setup({ RATE_LIMIT_IP_PER_MIN: '1' });
    expect((await untrusted.call('/public', { headers: { 'X-Forwarded-For': '198.51.100.1' } })).status).toBe(200);
    // A client cannot mint a fresh budget by sending a new header: without TRUST_PROXY both are 'unknown'.
    expect429(await untrusted.call('/public', { headers: { 'X-Forwarded-For': '198.51.100.2' } }), 'ip');
  });

  it('reads the socket address on a real server', async () => {
    const { app } = setup({ RATE_LIMIT_IP_PER_MIN: '2' });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/public`;
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url)).status).toBe(200);
      // 'unknown' (app.request) and 127.0.0.1 (socket) are different keys: this 429 comes from the socket's.
      expect((await app.request('/public')).status).toBe(200);
      const limited = await fetch(url);
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as any).error.details.limit).toBe('ip');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('exempt routes', () => {
  it('never limits health, and sets no RateLimit headers there', async () => {
    const { call } = setup({ RATE_LIMIT_IP_PER_MIN: '1' });
    for (let i = 0; i < 5; i++) {
      const res = await call('/health');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    for (let i = 0; i < 3; i++)
      expect((await call('/codec/decode', { method: 'POST', body: '{}' })).status).not.toBe(429);
  });
});
