import { describe, it, expect } from 'vitest';
import { sign, verify } from 'hono/jwt';
import { parseTtl, signToken, type Caller } from '../../src/api/auth';
import { call, now, SECRET } from '../support/auth-app';

describe('signToken', () => {
  it('produces an HS256 token with sub, role, iat and exp', async () => {
    const before = now();
    const token = await signToken(SECRET, { sub: 'user-1', role: 'staff' }, 900);
    const payload = await verify(token, SECRET, 'HS256');
    expect(payload.sub).toBe('user-1');
    expect(payload.role).toBe('staff');
    expect(payload.exp).toBe((payload.iat as number) + 900);
    expect(payload.iat as number).toBeGreaterThanOrEqual(before);
    expect(payload.iat as number).toBeLessThanOrEqual(now());
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg: string };
    expect(header.alg).toBe('HS256');
  });

  it('does not verify with another secret', async () => {
    const token = await signToken(SECRET, { sub: 'user-1', role: 'user' }, 60);
    await expect(verify(token, 'another-secret-another-secret-xx', 'HS256')).rejects.toThrow();
  });
});

describe('parseTtl', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604800],
    [' 2h ', 7200],
  ])('%j → %d seconds', (ttl, seconds) => {
    expect(parseTtl(ttl)).toBe(seconds);
  });

  it.each(['1 week', '', '10x', 'h', '1.5h', '-1h', '1hm', '31d', '0s', '1000h'])('rejects %j', (ttl) => {
    expect(() => parseTtl(ttl)).toThrow(/--ttl/);
  });
});

describe('authMiddleware', () => {
  it('answers 401 missing_token without an Authorization header', async () => {
    expect(await call()).toEqual({ status: 401, body: { category: 'authentication', code: 'missing_token' } });
  });

  it.each(['Basic x', 'Bearer', 'Bearer ', 'Bearer a b', 'Token abc'])(
    'answers 401 invalid_token for %j',
    async (header) => {
      expect(await call(header)).toEqual({ status: 401, body: { category: 'authentication', code: 'invalid_token' } });
    },
  );

  it('rejects a garbage bearer token', async () => {
    expect(await call('Bearer not.a.jwt')).toEqual({
      status: 401,
      body: { category: 'authentication', code: 'invalid_token' },
    });
  });

  it('rejects a token signed with another secret', async () => {
    const token = await signToken('some-other-secret-that-is-long-enough', { sub: 'u1', role: 'admin' }, 60);
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it('rejects an expired token', async () => {
    const token = await sign({ sub: 'u1', role: 'user', iat: now() - 120, exp: now() - 60 }, SECRET, 'HS256');
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it('rejects a token signed with another algorithm, even with the right secret', async () => {
    const token = await sign({ sub: 'u1', role: 'user', exp: now() + 60 }, SECRET, 'HS512');
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it('rejects an unsigned (alg none) token', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'u1', role: 'admin', exp: now() + 60 })}.`;
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it.each([
    ['an unknown role', { sub: 'u1', role: 'superuser' }],
    ['no role', { sub: 'u1' }],
    ['no sub', { role: 'user' }],
    ['an empty sub', { sub: '', role: 'user' }],
    ['a sub with forbidden characters', { sub: 'u1/../admin', role: 'user' }],
    ['a numeric sub', { sub: 42, role: 'user' }],
  ])('rejects a validly signed token with %s', async (_label, claims) => {
    const token = await sign({ ...claims, exp: now() + 60 }, SECRET, 'HS256');
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it.each(['user', 'admin'])('rejects a %s token without exp: it would work forever', async (role) => {
    const token = await sign({ sub: 'u1', role, iat: now() }, SECRET, 'HS256');
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it('rejects a token that lives longer than 30 days, with or without iat', async () => {
    const year = 365 * 86_400;
    for (const claims of [{ iat: now(), exp: now() + year }, { exp: now() + year }]) {
      const token = await sign({ sub: 'u1', role: 'admin', ...claims }, SECRET, 'HS256');
      expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
    }
    const ok = await sign({ sub: 'u1', role: 'admin', iat: now(), exp: now() + 30 * 86_400 }, SECRET, 'HS256');
    expect(await call(`Bearer ${ok}`)).toMatchObject({ status: 200 });
  });

  it.each<Caller>([
    { sub: 'user-1', role: 'user' },
    { sub: 'nurse@example.org', role: 'staff' },
    { sub: 'root:1', role: 'admin' },
  ])('accepts a good token and sets the caller ($role)', async (who) => {
    const token = await signToken(SECRET, who, 300);
    expect(await call(`Bearer ${token}`)).toEqual({ status: 200, body: who });
  });

  it('accepts a lower-case scheme and sets only sub and role', async () => {
    const token = await sign({ sub: 'u9', role: 'user', exp: now() + 60, extra: 'ignored' }, SECRET, 'HS256');
    expect(await call(`bearer ${token}`)).toEqual({ status: 200, body: { sub: 'u9', role: 'user' } });
  });
});
