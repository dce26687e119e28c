import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { sign } from 'hono/jwt';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { signToken } from '../../src/api/auth';
import { AppError } from '../../src/api/errors';
import { createProviderVerifier, type ProviderVerifier } from '../../src/api/identity/provider';
import type { ProviderSettings } from '../../src/api/identity/settings';
import { call, now, SECRET } from '../support/auth-app';

// Identity provider tokens: the middleware against a verifier whose key set is served over HTTP on 127.0.0.1,
// signed here with jose (tests/integration/identity-provider.test.ts does the same against a real OpenID
// Provider).

type Alg = 'RS256' | 'ES256' | 'EdDSA';
const ISSUER = 'https://id.example.test/realms/wellflow';
const AUDIENCE = 'wellflow-api';
const keys = {} as Record<Alg, { privateKey: CryptoKey; jwk: JWK }>;
let stranger: CryptoKey; // an RS256 key that no key set publishes
let jwksMode: 'ok' | 'error' | 'hang' | 'garbage' = 'ok';
let jwksFetches = 0;
let jwksServer: http.Server;
let jwksUrl: URL;

beforeAll(async () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    const pair = await generateKeyPair(alg, { extractable: true });
    keys[alg] = {
      privateKey: pair.privateKey,
      jwk: { ...(await exportJWK(pair.publicKey)), kid: `k-${alg}`, alg, use: 'sig' },
    };
  }
  stranger = (await generateKeyPair('RS256')).privateKey;
  jwksServer = http.createServer((_req, res) => {
    jwksFetches++;
    if (jwksMode === 'hang') return; // never answers: the verifier's timeout must end the wait
    if (jwksMode === 'error') return res.writeHead(500).end('down for maintenance');
    if (jwksMode === 'garbage') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: Object.values(keys).map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/certs`);
});

afterAll(async () => {
  jwksServer.closeAllConnections();
  await new Promise((resolve) => jwksServer.close(resolve));
});

const settings = (): ProviderSettings => ({
  jwksUrl,
  issuer: ISSUER,
  audience: AUDIENCE,
  roleClaim: 'realm_access.roles',
  roleMap: new Map([
    ['member', 'user'],
    ['crisis-staff', 'staff'],
    ['ops', 'admin'],
  ]),
});
const verifier = (timeoutMs = 2_000): ProviderVerifier => createProviderVerifier(settings(), { timeoutMs });

async function providerToken(
  claims: JWTPayload = {},
  opts: { alg?: Alg | 'RS384' | 'PS256'; kid?: string; key?: CryptoKey; iat?: number; exp?: number | null } = {},
) {
  const alg = opts.alg ?? 'RS256';
  const published = alg === 'RS384' || alg === 'PS256' ? 'RS256' : alg;
  const iat = opts.iat ?? now();
  const exp = opts.exp === null ? undefined : (opts.exp ?? iat + 300);
  // Claims given as undefined are left out of the token (JSON drops them).
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'person-1',
    iat,
    exp,
    realm_access: { roles: ['member'] },
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'at+jwt', kid: opts.kid ?? `k-${published}` })
    .sign(opts.key ?? keys[published].privateKey);
}

/** The verifier's verdict: the caller, or the AppError's status, code and message. */
async function verdict(token: string, v = verifier()) {
  try {
    return await v.verify(token);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { status: err.status, code: err.code, message: err.message };
  }
}

describe('authMiddleware with an identity provider', () => {
  it.each([
    ['RS256', ['member'], 'user'],
    ['ES256', ['crisis-staff'], 'staff'],
    ['EdDSA', ['member', 'ops'], 'admin'],
  ] as const)('accepts a %s token and maps its roles (%j → %s)', async (alg, roles, role) => {
    const token = await providerToken({ realm_access: { roles: [...roles] } }, { alg });
    expect(await call(`Bearer ${token}`, { secret: SECRET, provider: verifier() })).toEqual({
      status: 200,
      body: { sub: 'person-1', role },
    });
  });

  it('still accepts dev tokens (HS256, JWT_SECRET) beside provider tokens', async () => {
    const token = await signToken(SECRET, { sub: 'ops', role: 'admin' }, 60);
    expect(await call(`Bearer ${token}`, { secret: SECRET, provider: verifier() })).toEqual({
      status: 200,
      body: { sub: 'ops', role: 'admin' },
    });
  });

  it('refuses provider tokens when no provider is configured', async () => {
    const token = await providerToken();
    expect(await call(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
  });

  it.each(['RS384', 'PS256'] as const)('refuses a %s token: not an algorithm it accepts', async (alg) => {
    const token = await providerToken({}, { alg, key: (await generateKeyPair(alg)).privateKey });
    expect(await call(`Bearer ${token}`, { secret: SECRET, provider: verifier() })).toMatchObject({
      status: 401,
      body: { code: 'invalid_token' },
    });
  });

  it('never reads an HS256 token as a provider token: the provider cannot be impersonated with the secret', async () => {
    // The dev path checks HS256 against JWT_SECRET; a provider-shaped HS256 token fails there (no role claim).
    const token = await sign({ sub: 'person-1', realm_access: { roles: ['ops'] }, exp: now() + 60 }, SECRET, 'HS256');
    expect(await call(`Bearer ${token}`, { secret: SECRET, provider: verifier() })).toMatchObject({ status: 401 });
  });

  it('accepts an expiry up to 30 s in the past (clock skew) and refuses one further back', async () => {
    expect(await verdict(await providerToken({}, { iat: now() - 300, exp: now() - 20 }))).toEqual({
      sub: 'person-1',
      role: 'user',
    });
    expect(await verdict(await providerToken({}, { iat: now() - 300, exp: now() - 40 }))).toEqual({
      status: 401,
      code: 'invalid_token',
      message: 'The bearer token has expired',
    });
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example.test/' }, /unexpected "iss" claim value/],
    ['another audience', { aud: 'some-other-api' }, /unexpected "aud" claim value/],
    ['a not-before in the future', { nbf: now() + 120 }, /"nbf" claim timestamp check failed/],
    ['no sub', { sub: undefined }, /missing required "sub" claim/],
    ['a sub Wellflow cannot store', { sub: 'auth0|5f7c8ec7' }, /sub is not a Wellflow user id/],
    ['no mapped role', { realm_access: { roles: ['offline_access'] } }, /carries no Wellflow role/],
    ['no role claim at all', { realm_access: undefined }, /carries no Wellflow role/],
  ])('refuses a token with %s (401)', async (_label, claims, message) => {
    expect(await verdict(await providerToken(claims))).toMatchObject({ status: 401, code: 'invalid_token', message });
  });

  it('refuses a token without exp, and one that lives longer than 30 days', async () => {
    expect(await verdict(await providerToken({}, { exp: null }))).toMatchObject({
      status: 401,
      message: /missing required "exp" claim/,
    });
    expect(await verdict(await providerToken({}, { exp: now() + 31 * 86_400 }))).toMatchObject({
      status: 401,
      message: 'The bearer token lives longer than 30 days',
    });
  });

  it('refuses a token signed by a key the provider does not publish, whatever kid it names', async () => {
    expect(await verdict(await providerToken({}, { key: stranger, kid: 'k-unknown' }))).toMatchObject({
      status: 401,
      message: 'The bearer token is not signed by a key the identity provider publishes',
    });
    expect(await verdict(await providerToken({}, { key: stranger, kid: 'k-RS256' }))).toMatchObject({
      status: 401,
      message: "The bearer token's signature is invalid",
    });
  });

  it('fetches the key set once and serves later tokens from its cache', async () => {
    const v = verifier();
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) expect(await verdict(await providerToken(), v)).toMatchObject({ role: 'user' });
    expect(jwksFetches - before).toBe(1);
  });

  describe('when the key set cannot be fetched', () => {
    afterAll(() => {
      jwksMode = 'ok';
    });

    it.each(['error', 'garbage'] as const)('answers 503 unavailable (JWKS answers %s)', async (mode) => {
      jwksMode = mode;
      const token = await providerToken();
      expect(await verdict(token)).toMatchObject({ status: 503, code: 'identity_provider_unavailable' });
      expect(await call(`Bearer ${token}`, { secret: SECRET, provider: verifier() })).toEqual({
        status: 503,
        body: { category: 'unavailable', code: 'identity_provider_unavailable' },
      });
    });

    it('answers 503 within the timeout when the JWKS never answers', async () => {
      jwksMode = 'hang';
      const started = performance.now();
      expect(await verdict(await providerToken(), verifier(300))).toMatchObject({ status: 503 });
      expect(performance.now() - started).toBeLessThan(2_000);
    });

    it('answers 503 when nothing listens at the JWKS URL', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const v = createProviderVerifier({ ...settings(), jwksUrl: new URL(`http://127.0.0.1:${port}/certs`) });
      expect(await verdict(await providerToken(), v)).toMatchObject({ status: 503 });
    });

    it('keeps verifying with keys it already holds', async () => {
      jwksMode = 'ok';
      const v = verifier();
      expect(await verdict(await providerToken(), v)).toMatchObject({ role: 'user' });
      jwksMode = 'error';
      expect(await verdict(await providerToken({ realm_access: { roles: ['ops'] } }, { alg: 'ES256' }), v)).toEqual({
        sub: 'person-1',
        role: 'admin',
      });
    });
  });
});
