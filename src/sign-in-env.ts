import { z } from 'zod';

/**
 * The console's browser sign-in: OpenID Connect authorization code + PKCE against the identity provider that
 * AUTH_ISSUER names (discovery at `<issuer>/.well-known/openid-configuration`). Zod fields src/config.ts
 * spreads into its schema, and the rule between them and the provider settings (settings.ts).
 */
export const signInEnvShape = {
  /** The console's client id at the identity provider; unset: no OIDC sign-in (development sign-in only). */
  AUTH_CLIENT_ID: z.string().trim().min(1).optional(),
  /** Its client secret (confidential client, client_secret_basic); unset: a public client (PKCE only). */
  AUTH_CLIENT_SECRET: z.string().min(1).optional(),
};

export type SignInEnv = z.infer<z.ZodObject<typeof signInEnvShape>>;

/** The rule between the sign-in variables and the provider's, as loadConfig's message; undefined: fine. */
export function signInEnvProblem(e: SignInEnv & { AUTH_JWKS_URL?: string }): string | undefined {
  // The session's role comes from the same AUTH_ROLE_CLAIM / AUTH_ROLE_MAP as bearer tokens: one provider setup.
  if (e.AUTH_CLIENT_ID && !e.AUTH_JWKS_URL)
    return 'AUTH_JWKS_URL (with AUTH_ISSUER, AUTH_AUDIENCE, AUTH_ROLE_MAP) is required with AUTH_CLIENT_ID';
  if (e.AUTH_CLIENT_SECRET && !e.AUTH_CLIENT_ID) return 'AUTH_CLIENT_ID is required with AUTH_CLIENT_SECRET';
  return undefined;
}

/**
 * How staff sign in to the console. `oidc` when a client is configured. `development` (a form asking for a
 * staff id and role) only when NODE_ENV=development, the default of `npm start`, and no provider client is
 * configured: production (NODE_ENV=production, set by the Dockerfile and compose) never offers it.
 */
export type SignInMode = 'oidc' | 'development' | 'none';

export function signInMode(e: SignInEnv & { NODE_ENV: string }): SignInMode {
  if (e.AUTH_CLIENT_ID) return 'oidc';
  return e.NODE_ENV === 'development' ? 'development' : 'none';
}
