import { describe, expect, it } from 'vitest';
import { claimAt, roleNames, wellflowRole, type RoleMap } from '../../src/api/identity/roles';

const MAP: RoleMap = new Map([
  ['member', 'user'],
  ['crisis-staff', 'staff'],
  ['nurse', 'staff'],
  ['ops', 'admin'],
]);

describe('claimAt', () => {
  it('reads a top-level claim', () => {
    expect(claimAt({ roles: ['a'] }, 'roles')).toEqual(['a']);
    expect(claimAt({ groups: 'ops' }, 'groups')).toBe('ops');
  });

  it('walks a dotted path through nested objects (Keycloak realm_access.roles)', () => {
    const claims = { realm_access: { roles: ['crisis-staff'] }, resource_access: { wellflow: { roles: ['ops'] } } };
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['crisis-staff']);
    expect(claimAt(claims, 'resource_access.wellflow.roles')).toEqual(['ops']);
  });

  it('reads a top-level claim whose name is a URL with dots (Auth0 namespaced claims)', () => {
    expect(claimAt({ 'https://example.org/roles': ['ops'] }, 'https://example.org/roles')).toEqual(['ops']);
    // The full name wins over a nested reading of the same path.
    expect(claimAt({ 'a.b': 'top', a: { b: 'nested' } }, 'a.b')).toBe('top');
  });

  it('finds nothing for a missing path, a path through a non-object, or inherited properties', () => {
    expect(claimAt({}, 'roles')).toBeUndefined();
    expect(claimAt({ realm_access: 'x' }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({ realm_access: ['roles'] }, 'realm_access.0')).toBeUndefined();
    expect(claimAt({ realm_access: null }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({ realm_access: {} }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({}, 'constructor')).toBeUndefined();
    expect(claimAt({}, '__proto__.toString')).toBeUndefined();
    expect(claimAt({ a: {} }, 'a.hasOwnProperty')).toBeUndefined();
  });
});

describe('roleNames', () => {
  it('takes a string as one role and an array of strings as several', () => {
    expect(roleNames('ops')).toEqual(['ops']);
    expect(roleNames(['ops', 'member'])).toEqual(['ops', 'member']);
  });

  it('ignores non-strings in an array and anything that is neither', () => {
    expect(roleNames(['ops', 3, null, { name: 'x' }])).toEqual(['ops']);
    expect(roleNames(undefined)).toEqual([]);
    expect(roleNames(42)).toEqual([]);
    expect(roleNames({ ops: true })).toEqual([]);
  });
});

describe('wellflowRole', () => {
  it('maps a single string role', () => {
    expect(wellflowRole({ groups: 'crisis-staff' }, 'groups', MAP)).toBe('staff');
  });

  it('maps an array, the highest mapped role winning whatever the order', () => {
    expect(wellflowRole({ roles: ['member', 'ops', 'nurse'] }, 'roles', MAP)).toBe('admin');
    expect(wellflowRole({ roles: ['nurse', 'member'] }, 'roles', MAP)).toBe('staff');
    expect(wellflowRole({ roles: ['member'] }, 'roles', MAP)).toBe('user');
  });

  it('ignores roles the map does not name', () => {
    expect(wellflowRole({ roles: ['offline_access', 'member', 'uma_authorization'] }, 'roles', MAP)).toBe('user');
  });

  it('gives undefined when no role maps, the claim is missing, or it has another shape', () => {
    expect(wellflowRole({ roles: ['offline_access'] }, 'roles', MAP)).toBeUndefined();
    expect(wellflowRole({ roles: [] }, 'roles', MAP)).toBeUndefined();
    expect(wellflowRole({}, 'roles', MAP)).toBeUndefined();
    expect(wellflowRole({ roles: { ops: true } }, 'roles', MAP)).toBeUndefined();
    // Wellflow role names are not provider roles unless the map says so.
    expect(wellflowRole({ roles: ['admin', 'staff'] }, 'roles', MAP)).toBeUndefined();
  });

  it('is case-sensitive, as providers are', () => {
    expect(wellflowRole({ roles: ['OPS'] }, 'roles', MAP)).toBeUndefined();
  });

  it('reads the configured path: nested and URL-named claims', () => {
    expect(wellflowRole({ realm_access: { roles: ['ops'] } }, 'realm_access.roles', MAP)).toBe('admin');
    expect(wellflowRole({ 'https://example.org/roles': ['nurse'] }, 'https://example.org/roles', MAP)).toBe('staff');
  });
});
