import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { providerSettingsFrom } from '../../src/api/identity/settings';
import { identityEnvProblem, identityEnvShape, parseRoleMap, RoleMapError } from '../../src/identity-env';

const schema = z.object(identityEnvShape);
const parse = (env: Record<string, string>) => schema.parse(env);
const FULL = {
  AUTH_JWKS_URL: 'https://id.example.org/realms/wellflow/protocol/openid-connect/certs',
  AUTH_ISSUER: 'https://id.example.org/realms/wellflow',
  AUTH_AUDIENCE: 'wellflow-api',
  AUTH_ROLE_MAP: 'crisis-staff:staff,ops:admin,member:user',
};

describe('parseRoleMap', () => {
  it('parses provider-role:wellflow-role pairs, trimming spaces and skipping empty entries', () => {
    expect(parseRoleMap('crisis-staff:staff, ops:admin ,member:user,')).toEqual([
      ['crisis-staff', 'staff'],
      ['ops', 'admin'],
      ['member', 'user'],
    ]);
  });

  it('splits on the last colon, so provider roles may contain colons', () => {
    expect(parseRoleMap('urn:example:role:ops:admin,wellflow-client:nurse:staff')).toEqual([
      ['urn:example:role:ops', 'admin'],
      ['wellflow-client:nurse', 'staff'],
    ]);
  });

  it('lets several provider roles grant one Wellflow role, and tolerates an exact repeat', () => {
    expect(parseRoleMap('nurse:staff,crisis-staff:staff,nurse:staff')).toEqual([
      ['nurse', 'staff'],
      ['crisis-staff', 'staff'],
    ]);
  });

  it.each([
    ['ops:root', /"ops:root" maps to "root", which is not a Wellflow role \(user, staff, admin\)/],
    ['ops:Admin', /not a Wellflow role/],
    ['ops', /"ops" must look like provider-role:wellflow-role/],
    [':admin', /must look like provider-role:wellflow-role/],
    ['ops:', /maps to "", which is not a Wellflow role/],
    ['ops:admin,ops:user', /maps "ops" to both admin and user/],
    ['', /must map at least one provider role/],
    [' , ', /must map at least one provider role/],
  ])('refuses %j with an error naming AUTH_ROLE_MAP', (value, message) => {
    expect(() => parseRoleMap(value)).toThrow(RoleMapError);
    expect(() => parseRoleMap(value)).toThrow(message);
    expect(() => parseRoleMap(value)).toThrow(/^AUTH_ROLE_MAP /);
  });
});

describe('identityEnvShape', () => {
  it('defaults AUTH_ROLE_CLAIM to roles and leaves everything else unset', () => {
    expect(parse({})).toEqual({ AUTH_ROLE_CLAIM: 'roles' });
  });

  it('parses a full provider configuration, AUTH_ROLE_MAP into pairs', () => {
    const e = parse({ ...FULL, AUTH_ROLE_CLAIM: 'realm_access.roles' });
    expect(e.AUTH_ROLE_MAP).toEqual([
      ['crisis-staff', 'staff'],
      ['ops', 'admin'],
      ['member', 'user'],
    ]);
    expect(e.AUTH_ROLE_CLAIM).toBe('realm_access.roles');
  });

  it.each(['http://127.0.0.1:8080/certs', 'https://id.example.org/.well-known/jwks.json'])(
    'accepts the JWKS URL %j',
    (url) => {
      expect(parse({ AUTH_JWKS_URL: url }).AUTH_JWKS_URL).toBe(url);
    },
  );

  it.each(['not a url', 'ftp://id.example.org/certs', 'file:///etc/jwks.json', 'id.example.org/certs'])(
    'refuses the JWKS URL %j',
    (url) => {
      const r = schema.safeParse({ AUTH_JWKS_URL: url });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]).toMatchObject({
        path: ['AUTH_JWKS_URL'],
        message: 'must be an http:// or https:// URL',
      });
    },
  );

  it('reports a bad AUTH_ROLE_MAP at its own path, with the reason only', () => {
    const r = schema.safeParse({ AUTH_ROLE_MAP: 'crisis-staff:staff,ops:superuser' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['AUTH_ROLE_MAP']);
    expect(r.error!.issues[0]!.message).toBe(
      'entry "ops:superuser" maps to "superuser", which is not a Wellflow role (user, staff, admin)',
    );
  });

  it('refuses an empty AUTH_ROLE_CLAIM', () => {
    expect(schema.safeParse({ AUTH_ROLE_CLAIM: ' ' }).success).toBe(false);
  });
});

describe('identityEnvProblem', () => {
  it('accepts no provider at all, and a full provider configuration', () => {
    expect(identityEnvProblem(parse({}))).toBeUndefined();
    expect(identityEnvProblem(parse(FULL))).toBeUndefined();
  });

  it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_ROLE_MAP'] as const)('requires %s with AUTH_JWKS_URL', (name) => {
    const { [name]: _left, ...rest } = FULL;
    expect(identityEnvProblem(parse(rest))).toMatch(new RegExp(`^${name} is required with AUTH_JWKS_URL`));
  });

  it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_ROLE_MAP'] as const)(
    'refuses %s without AUTH_JWKS_URL (it would be silently ignored)',
    (name) => {
      expect(identityEnvProblem(parse({ [name]: FULL[name] }))).toMatch(
        new RegExp(`^AUTH_JWKS_URL is required with ${name}`),
      );
    },
  );
});

describe('providerSettingsFrom', () => {
  it('is undefined without a provider', () => {
    expect(providerSettingsFrom(parse({}))).toBeUndefined();
  });

  it('gives the verifier its URL, issuer, audience, claim path and role map', () => {
    const s = providerSettingsFrom(parse({ ...FULL, AUTH_ROLE_CLAIM: 'groups' }))!;
    expect(s.jwksUrl.href).toBe(FULL.AUTH_JWKS_URL);
    expect(s).toMatchObject({ issuer: FULL.AUTH_ISSUER, audience: 'wellflow-api', roleClaim: 'groups' });
    expect([...s.roleMap]).toEqual([
      ['crisis-staff', 'staff'],
      ['ops', 'admin'],
      ['member', 'user'],
    ]);
  });
});
