import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration, JWKS } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness';

/**
 * Provider tokens against a real OpenID Provider (oidc-provider, certified) started here on 127.0.0.1: each
 * token comes over HTTP from its token endpoint (client_credentials, RFC 8707 resource indicators, JWT access
 * tokens per RFC 9068), and the Wellflow app is configured only through the environment (AUTH_*), as in a
 * deployment. Each test client stands for a kind of token: its roles come from `extraTokenClaims`; the
 * expired and wrong-issuer tokens are shaped by the provider's own JWT customizer, so the provider signs them.
 */

const AUDIENCE = 'wellflow-api';
/** RFC 8707 resource indicators: the API's (RS256 and ES256 signed) and another API's. */
const RESOURCE = 'https://api.wellflow.test/';
const RESOURCE_ES = 'https://api.wellflow.test/es256';
const OTHER_RESOURCE = 'https://reports.example.test/';
const ROLE_MAP = 'crisis-staff:staff,ops:admin,member:user';

/** client id → the provider roles its tokens carry (in `realm_access.roles`, Keycloak's place for them). */
const CLIENT_ROLES: Record<string, string[]> = {
  'wf-staff': ['offline_access', 'crisis-staff'],
  'wf-user': ['member'],
  'wf-admin': ['member', 'ops'],
  'wf-norole': ['offline_access'],
  'wf-expired': ['crisis-staff'],
  'wf-wrong-iss': ['crisis-staff'],
  'wf-long': ['crisis-staff'],
};
const SECRET = 'a-client-secret-for-the-test-provider';

interface RunningProvider {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  stop(): Promise<void>;
}

/** An oidc-provider on a free 127.0.0.1 port; `issuer` overrides the one its URL would give (another-key case). */
async function startProvider(issuer?: string): Promise<RunningProvider> {
  // oidc-provider is ESM only: loaded at run time, its types from @types/oidc-provider.
  const { default: Provider, errors } = await import('oidc-provider');
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const keys: JWKS['keys'][number][] = [];
  for (const alg of ['RS256', 'ES256'] as const) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    keys.push({ ...(await exportJWK(privateKey)), alg, use: 'sig' });
  }
  const jwtServer = (audience: string, alg: 'RS256' | 'ES256') => ({
    scope: 'api',
    audience,
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: 300,
    jwt: { sign: { alg } },
  });
  const configuration: Configuration = {
    clients: Object.keys(CLIENT_ROLES).map((client_id) => ({
      client_id,
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    jwks: { keys },
    cookies: { keys: ['identity-provider-test-cookie-key'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo(_ctx, resource) {
          if (resource === RESOURCE) return jwtServer(AUDIENCE, 'RS256');
          if (resource === RESOURCE_ES) return jwtServer(AUDIENCE, 'ES256');
          if (resource === OTHER_RESOURCE) return jwtServer('reports-api', 'RS256');
          throw new errors.InvalidTarget();
        },
      },
    },
    extraTokenClaims: (_ctx, token) => ({ realm_access: { roles: CLIENT_ROLES[token.clientId!] } }),
    ttl: { ClientCredentials: (_ctx, _token, client) => (client.clientId === 'wf-long' ? 31 * 86_400 : 300) },
    formats: {
      customizers: {
        jwt(_ctx, token, jwt) {
          const now = Math.floor(Date.now() / 1000);
          // Issued 10 minutes ago for 5 minutes: expired for 5 minutes, far beyond the 30 s clock leeway.
          if (token.clientId === 'wf-expired') Object.assign(jwt.payload, { iat: now - 600, exp: now - 300 });
          if (token.clientId === 'wf-wrong-iss') jwt.payload.iss = 'https://someone-else.example.test';
        },
      },
    },
  };
  const provider = new Provider(issuer ?? url, configuration);
  const callback = provider.callback(); // Koa answers its own errors: the promise never rejects
  handle = (req, res) => void callback(req, res);

  const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    token_endpoint: string;
    jwks_uri: string;
  };
  return {
    issuer: discovery.issuer,
    // The metadata names the issuer's host; the other-key provider's issuer is not its own address.
    tokenEndpoint: `${url}${new URL(discovery.token_endpoint).pathname}`,
    jwksUri: `${url}${new URL(discovery.jwks_uri).pathname}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An access token from the provider's token endpoint: client_credentials with client_secret_basic. */
async function tokenFrom(op: RunningProvider, clientId: string, resource = RESOURCE): Promise<string> {
  const res = await fetch(op.tokenEndpoint, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }),
  });
  const body = (await res.json()) as { access_token?: string; token_type?: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.token_type).toBe('Bearer');
  return body.access_token!;
}

const header = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg: string; typ: string };
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

function expectEnvelope(res: { status: number; json: any }, status: number, category: string, code: string) {
  expect(res.status).toBe(status);
  expect(res.json.error).toMatchObject({ category, code });
}

const identityEnv = (op: RunningProvider) => ({
  AUTH_JWKS_URL: op.jwksUri,
  AUTH_ISSUER: op.issuer,
  AUTH_AUDIENCE: AUDIENCE,
  AUTH_ROLE_CLAIM: 'realm_access.roles',
  AUTH_ROLE_MAP: ROLE_MAP,
});

let op: RunningProvider;
let h: Harness;
beforeAll(async () => {
  op = await startProvider();
  h = await startHarness({ workers: false, env: identityEnv(op) });
});
afterAll(async () => {
  await h?.stop();
  await op?.stop();
});

describe('tokens from a real OpenID Provider', () => {
  it('is configured from the environment', () => {
    expect(h.config).toMatchObject({ AUTH_ISSUER: op.issuer, AUTH_ROLE_CLAIM: 'realm_access.roles' });
  });

  it('a staff token (RS256) reads the crisis queue; so does an ES256 one and an admin one', async () => {
    const staff = await tokenFrom(op, 'wf-staff');
    expect(header(staff)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(claims(staff)).toMatchObject({ iss: op.issuer, aud: AUDIENCE, sub: 'wf-staff' });
    expect((await h.call('GET', '/v1/crisis/cases', { token: staff })).status).toBe(200);

    const es = await tokenFrom(op, 'wf-staff', RESOURCE_ES);
    expect(header(es).alg).toBe('ES256');
    expect((await h.call('GET', '/v1/crisis/cases', { token: es })).status).toBe(200);

    // member + ops: the highest mapped role (admin) wins; admin-only routes answer.
    const admin = await tokenFrom(op, 'wf-admin');
    expect((await h.call('GET', '/v1/crisis/cases', { token: admin })).status).toBe(200);
    expect((await h.call('GET', '/v1/schedules', { token: admin })).status).toBe(200);
  });

  it('a user token is a caller without staff rights: 403 on the crisis queue, 200 on its own runs', async () => {
    const user = await tokenFrom(op, 'wf-user');
    expectEnvelope(await h.call('GET', '/v1/crisis/cases', { token: user }), 403, 'authorization', 'forbidden');
    expect((await h.call('GET', '/v1/meals', { token: user })).status).toBe(200);
  });

  it.each([
    ['another audience', 'wf-staff', OTHER_RESOURCE, /unexpected "aud" claim value/],
    ['another issuer', 'wf-wrong-iss', RESOURCE, /unexpected "iss" claim value/],
    ['an expiry 5 minutes past', 'wf-expired', RESOURCE, /has expired/],
    ['a lifetime over 30 days', 'wf-long', RESOURCE, /lives longer than 30 days/],
    ['no role the map names', 'wf-norole', RESOURCE, /carries no Wellflow role/],
  ])('401 for a provider-signed token with %s', async (_label, clientId, resource, message) => {
    const res = await h.call('GET', '/v1/crisis/cases', { token: await tokenFrom(op, clientId, resource) });
    expectEnvelope(res, 401, 'authentication', 'invalid_token');
    expect(res.json.error.message).toMatch(message);
  });

  it('401 for a token signed by another provider with the same issuer name (keys it does not publish)', async () => {
    const impostor = await startProvider(op.issuer);
    try {
      const token = await tokenFrom(impostor, 'wf-admin');
      expect(claims(token)).toMatchObject({ iss: op.issuer, aud: AUDIENCE });
      const res = await h.call('GET', '/v1/crisis/cases', { token });
      expectEnvelope(res, 401, 'authentication', 'invalid_token');
      expect(res.json.error.message).toMatch(/not signed by a key the identity provider publishes/);
    } finally {
      await impostor.stop();
    }
  });

  it('HS256 dev tokens (wellflow token) still work beside provider tokens', async () => {
    expect((await h.call('GET', '/v1/crisis/cases', { token: await h.token('ops-1', 'staff') })).status).toBe(200);
    const user = await h.token('person-1', 'user');
    expectEnvelope(await h.call('GET', '/v1/crisis/cases', { token: user }), 403, 'authorization', 'forbidden');
  });
});

describe('when the provider is down', () => {
  let cold: Harness | undefined;
  afterAll(async () => {
    await cold?.stop();
  });

  it('an app holding its keys keeps verifying; a cold one answers 503 unavailable at once', async () => {
    const staff = await tokenFrom(op, 'wf-staff');
    expect((await h.call('GET', '/v1/crisis/cases', { token: staff })).status).toBe(200);
    await op.stop();

    // The warm app has the key set cached (up to 10 minutes): the outage does not sign anyone out.
    expect((await h.call('GET', '/v1/crisis/cases', { token: staff })).status).toBe(200);

    // A new app (a restart, another replica) must fetch the keys and cannot: 503, not 401 or 500.
    cold = await startHarness({ workers: false, env: identityEnv(op) });
    const started = performance.now();
    const res = await cold.call('GET', '/v1/crisis/cases', { token: staff });
    expect(performance.now() - started).toBeLessThan(4_000);
    expectEnvelope(res, 503, 'unavailable', 'identity_provider_unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.json.error.request_id).toBe(res.headers.get('x-request-id'));
    // Dev tokens do not depend on the provider.
    expect((await cold.call('GET', '/v1/crisis/cases', { token: await cold.token('ops-1', 'staff') })).status).toBe(
      200,
    );
    expect(cold.logLines.some((l) => l.msg === 'identity provider keys unavailable' && l.level === 40)).toBe(true);
  });
});
