import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import pino from 'pino';
import { ENVELOPE_FIELDS } from '../support/envelope';
import { afterEach, describe, expect, it } from 'vitest';
import { authMiddleware, signToken } from '../../src/api/auth';
import { AppError, errorResponse, toAppError } from '../../src/api/errors';
import { BODY_LIMITS, bodyLimits } from '../../src/api/middleware/body-limit';
import { createRateLimiter, type RateLimiterOptions } from '../../src/api/middleware/rate-limit';
import type { AppEnv, RateLimiter } from '../../src/api/types';
import { loadConfig } from '../../src/config';

/**
 * The middleware on a minimal app wired like src/api/app.ts (request id, per-IP limit, auth, per-user limit,
 * body limits, the same error handler), so the 429 is checked against the real envelope. Redis tests use the local server
 * (127.0.0.1:6379) with a key prefix unique to each test, so runs never share counters.
 */

const SECRET = 'rate-limit-test-secret-0123456789abcdef';
const REDIS = 'redis://127.0.0.1:6379';
const opened: RateLimiter[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
});

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

function setup(env: Record<string, string>, opts: RateLimiterOptions & { auth?: MiddlewareHandler<AppEnv> } = {}) {
  const config = loadConfig({
    RATE_LIMIT_USER_PER_MIN: '5',
    RATE_LIMIT_IP_PER_MIN: '1000',
    RATE_LIMIT_BURST: '0',
    ...env,
  });
  const { logger, lines } = captureLogger();
  const limiter = createRateLimiter(config, logger, {
    durationSeconds: 60,
    keyPrefix: `test:${randomUUID()}`,
    ...opts,
  });
  opened.push(limiter);
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', limiter.perIp);
  app.use('/v1/*', opts.auth ?? authMiddleware({ secret: SECRET }));
  app.use('/v1/*', limiter.perUser);
  app.use('*', bodyLimits());
  app.get('/v1/thing', (c) => c.json({ ok: true }));
  app.get('/v1/boom', () => {
    throw new AppError('conflict', 'boom', 'Boom');
  });
  for (const path of ['/v1/meals', '/v1/meals/batch', '/v1/journal-entries', '/codec/decode']) {
    app.post(path, async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  }
  app.get('/public', (c) => c.json({ ok: true }));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.notFound((c) => errorResponse(c, new AppError('not_found', 'route_not_found', 'No route')));
  app.onError((err, c) => errorResponse(c, toAppError(err, logger, c.get('requestId') ?? 'unknown')));
  const call = async (
    path: string,
    init: {
      sub?: string;
      token?: string;
      headers?: Record<string, string>;
      method?: string;
      body?: string | FormData;
    } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token ?? (init.sub ? await signToken(SECRET, { sub: init.sub, role: 'user' }, 600) : undefined);
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await app.request(path, { method: init.method ?? 'GET', headers, body: init.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };
  return { app, call, limiter, lines, config };
}

function expect429(res: { status: number; headers: Headers; json: any }, limit: 'user' | 'ip') {
  expect(res.status).toBe(429);
  expect(Object.keys(res.json.error).sort()).toEqual(ENVELOPE_FIELDS);
  expect(res.json.error).toMatchObject({ category: 'rate_limited', code: 'rate_limited', details: { limit } });
  expect(res.json.error.request_id).toBe(res.headers.get('x-request-id'));
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(res.json.error.details.retryAfterSeconds).toBe(retryAfter);
  expect(res.headers.get('ratelimit-remaining')).toBe('0');
  expect(res.headers.get('ratelimit-reset')).toBe(String(retryAfter));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
