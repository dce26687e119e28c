import { Hono } from 'hono';
import { authMiddleware, caller, type AuthOptions } from '../../src/api/auth';
import { AppError } from '../../src/api/errors';

// A one-route app behind the auth middleware, for the auth tests: `call` answers with the caller it set, or
// with the error's category and code.

export const SECRET = 'unit-test-secret-that-is-long-enough-1234';
export const now = () => Math.floor(Date.now() / 1000);

function makeApp(opts: AuthOptions = { secret: SECRET }) {
  const app = new Hono();
  app.use('*', authMiddleware(opts));
  app.get('/me', (c) => c.json(caller(c)));
  app.onError((err, c) => {
    if (err instanceof AppError) return c.json({ category: err.category, code: err.code }, err.status);
    return c.json({ category: 'internal', code: String(err) }, 500);
  });
  return app;
}

export async function call(authorization?: string, opts?: AuthOptions) {
  const res = await makeApp(opts).request('/me', {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
