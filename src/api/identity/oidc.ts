import * as client from 'openid-client';
import { AppError } from '../errors';
import { type Caller, subSchema } from './caller';
import { wellflowRole } from './roles';
import type { ProviderSettings } from './settings';
import type { SignInState } from './session';

/**
 * The console's OpenID Connect sign-in (authorization code + PKCE, S256) with openid-client, a certified
 * relying-party library: discovery, the authorization URL, the code exchange and the ID token's checks (signature
 * against the provider's keys, issuer, audience = client id, expiry, nonce-less PKCE flow with `state`) are all
 * its work. The role comes from the same AUTH_ROLE_CLAIM / AUTH_ROLE_MAP as bearer tokens, read from the ID
 * token, else from the userinfo endpoint (providers that keep roles out of ID tokens).
 */
export interface OidcSignIn {
  /** Where to send the browser, and what to remember until it comes back. */
  begin(returnTo: string): Promise<{ url: URL; state: SignInState }>;
  /** The staff member the callback proves; 401 when the provider's answer does not check out. */
  finish(callbackUrl: URL, state: SignInState): Promise<Caller>;
}

export function createOidcSignIn(opts: {
  provider: ProviderSettings;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
}): OidcSignIn {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= discover(opts).catch((err: unknown) => {
      discovered = undefined; // try again on the next sign-in rather than caching the outage
      throw new AppError(
        'unavailable',
        'identity_provider_unavailable',
        `The identity provider cannot be reached right now (${(err as Error).message})`,
        null,
        503,
        { 'Retry-After': '5' },
      );
    });
    return discovered;
  };

  return {
    async begin(returnTo) {
      const config = await configuration();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: opts.redirectUri,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      return { url, state: { verifier, state, returnTo } };
    },

    async finish(callbackUrl, signIn) {
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: signIn.verifier,
          expectedState: signIn.state,
          idTokenExpected: true,
        });
      } catch (err) {
        throw new AppError('authentication', 'sign_in_failed', `Sign-in failed: ${(err as Error).message}`);
      }
      const claims = tokens.claims()!;
      const sub = subSchema.safeParse(claims.sub);
      if (!sub.success) throw new AppError('authentication', 'sign_in_failed', 'The account id is not usable here');
      let role = wellflowRole(claims, opts.provider.roleClaim, opts.provider.roleMap);
      if (!role) {
        const info = await client.fetchUserInfo(config, tokens.access_token, sub.data).catch(() => undefined);
        role = info && wellflowRole(info, opts.provider.roleClaim, opts.provider.roleMap);
      }
      if (!role)
        throw new AppError(
          'authorization',
          'no_role',
          `This account has no Wellflow role (${opts.provider.roleClaim})`,
        );
      return { sub: sub.data, role };
    },
  };
}

function discover(opts: { provider: ProviderSettings; clientId: string; clientSecret?: string }) {
  const issuer = new URL(opts.provider.issuer);
  // Plain http only for a provider on this machine (development and the tests); anywhere else TLS is required.
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  return client.discovery(
    issuer,
    opts.clientId,
    opts.clientSecret,
    opts.clientSecret ? client.ClientSecretBasic(opts.clientSecret) : client.None(),
    {
      ...(local && issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      // The console waits for the provider at most 5 s: a sign-in that hangs is worse than a clear 503.
      timeout: 5,
    },
  );
}
