import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration } from 'oidc-provider';

/**
 * A real OpenID Provider (oidc-provider, certified) on a free 127.0.0.1 port for browser sign-in tests: the
 * authorization code flow with PKCE, its own login and consent pages (devInteractions: any password), and
 * accounts whose roles (in `realm_access.roles`, Keycloak's place) come from `rolesOf(login)`.
 */
export interface TestProvider {
  issuer: string;
  jwksUri: string;
  stop(): Promise<void>;
}

export async function startOidcProvider(opts: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  rolesOf: (login: string) => string[];
}): Promise<TestProvider> {
  // oidc-provider is ESM only: loaded at run time, its types from @types/oidc-provider.
  const { default: Provider } = await import('oidc-provider');
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['browser-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['realm_access'] },
    // Scope claims in the ID token itself (the console reads the role from it).
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, realm_access: { roles: opts.rolesOf(sub) } }),
    }),
  };
  const provider = new Provider(url, configuration);
  const callback = provider.callback();
  handle = (req, res) => void callback(req, res);
  return {
    issuer: url,
    jwksUri: `${url}/jwks`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
