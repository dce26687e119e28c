import { describe, expect, it } from 'vitest';
import { cookieOptions, createSessionSealer, csrfMatches, safeReturnTo } from '../../src/api/identity/session';
import { loadConfig } from '../../src/config';
import { signInMode } from '../../src/sign-in-env';

/** The console session's pure parts: sealing, CSRF comparison, return-to, cookie attributes, sign-in mode. */
const SECRET = 'unit-test-jwt-secret-0123456789abcdef';

describe('session cookie content', () => {
  it('opens what it sealed, and nothing sealed with another secret or for another purpose', async () => {
    const sealer = createSessionSealer(SECRET);
    const sealed = await sealer.sealSession({ sub: 'nurse-1', role: 'staff' });
    const session = await sealer.openSession(sealed);
    expect(session).toMatchObject({ sub: 'nurse-1', role: 'staff' });
    expect(session!.csrf.length).toBeGreaterThanOrEqual(16);
    // The content is encrypted: the staff id is not readable in the cookie.
    expect(Buffer.from(sealed.split('.').join(''), 'base64url').toString('latin1')).not.toContain('nurse-1');
    expect(await createSessionSealer(`${SECRET}x`).openSession(sealed)).toBeUndefined();
    const signIn = await sealer.sealSignIn({ verifier: 'v', state: 's', returnTo: '/console' });
    expect(await sealer.openSession(signIn)).toBeUndefined();
    expect(await sealer.openSignIn(sealed)).toBeUndefined();
    expect(await sealer.openSession(undefined)).toBeUndefined();
    expect(await sealer.openSession('not-a-jwe')).toBeUndefined();
  });

  it('matches the CSRF token exactly', async () => {
    const session = (await createSessionSealer(SECRET).openSession(
      await createSessionSealer(SECRET).sealSession({ sub: 'a', role: 'admin' }),
    ))!;
    expect(csrfMatches(session, session.csrf)).toBe(true);
    expect(csrfMatches(session, `${session.csrf}x`)).toBe(false);
    expect(csrfMatches(session, '')).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
  });
});

describe('return-to after sign-in', () => {
  it('keeps console paths and replaces anything else with /console', () => {
    expect(safeReturnTo('/console/cases/abc?x=1')).toBe('/console/cases/abc?x=1');
    for (const bad of [
      undefined,
      '',
      'https://evil.example/console',
      '//evil.example',
      '/v1/meals',
      '/console\\x',
      '/console\r\nSet-Cookie: a=b',
    ])
      expect(safeReturnTo(bad)).toBe('/console');
  });
});

describe('cookie attributes', () => {
  it('is HttpOnly and SameSite=Lax, Secure except on this machine', () => {
    expect(cookieOptions('http://127.0.0.1:3000', 60)).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      secure: false,
    });
    expect(cookieOptions('http://localhost:3000', 60).secure).toBe(false);
    expect(cookieOptions('https://wellflow.example.org', 60).secure).toBe(true);
  });
});

describe('sign-in mode and its settings', () => {
  const base = { WELLFLOW_DATA_DIR: '/tmp/wellflow-unit' };
  const provider = {
    AUTH_JWKS_URL: 'https://idp.example.org/jwks',
    AUTH_ISSUER: 'https://idp.example.org',
    AUTH_AUDIENCE: 'wellflow-api',
    AUTH_ROLE_MAP: 'crisis-staff:staff',
  };

  it('offers the development form only in development mode without a provider client', () => {
    expect(signInMode(loadConfig(base))).toBe('development');
    expect(signInMode(loadConfig({ ...base, NODE_ENV: 'test' }))).toBe('none');
    const prod = {
      ...base,
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      WELLFLOW_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    };
    expect(signInMode(loadConfig(prod))).toBe('none');
    expect(signInMode(loadConfig({ ...prod, ...provider, AUTH_CLIENT_ID: 'console' }))).toBe('oidc');
    expect(signInMode(loadConfig({ ...base, ...provider, AUTH_CLIENT_ID: 'console' }))).toBe('oidc');
  });

  it('refuses a client without the provider, and a secret without a client, naming the variable', () => {
    expect(() => loadConfig({ ...base, AUTH_CLIENT_ID: 'console' })).toThrow(
      /AUTH_JWKS_URL .* is required with AUTH_CLIENT_ID/,
    );
    expect(() => loadConfig({ ...base, ...provider, AUTH_CLIENT_SECRET: 'shh' })).toThrow(
      /AUTH_CLIENT_ID is required with AUTH_CLIENT_SECRET/,
    );
  });
});
