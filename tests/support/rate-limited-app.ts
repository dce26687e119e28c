import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import pino from 'pino';
import { afterEach, expect } from 'vitest';
import { authMiddleware, signToken } from '../../src/api/auth';
import { AppError, errorResponse, toAppError } from '../../src/api/errors';
import { bodyLimits } from '../../src/api/middleware/body-limit';
import { createRateLimiter, type RateLimiterOptions } from '../../src/api/middleware/rate-limit';
import type { AppEnv, RateLimiter } from '../../src/api/types';
import { loadConfig } from '../../src/config';
import { ENVELOPE_FIELDS } from './envelope';
import { logLineSink } from './log-lines';

/**
 * The rate-limit middleware on a minimal app wired like src/api/app.ts (request id, per-IP limit, auth, per-user
 * limit, body limits, the same error handler), so the 429 is checked against the real envelope; every limiter
 * has a key prefix of its own, so tests never share counters. `closeLimitersAfterEach()` closes the limiters a
 * test's `setup` opened once it ends.
 */
const SECRET = 'rate-limit-test-secret-0123456789abcdef';
const opened: RateLimiter[] = [];

export function closeLimitersAfterEach(): void {
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
  });
}

function captureLogger() {
  const { stream, lines } = logLineSink();
  return { logger: pino({ level: 'info' }, stream), lines };
}

export function setup(
  env: Record<string, string>,
  opts: RateLimiterOptions & { auth?: MiddlewareHandler<AppEnv> } = {},
) {
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

export function expect429(res: { status: number; headers: Headers; json: any }, limit: 'user' | 'ip') {
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
