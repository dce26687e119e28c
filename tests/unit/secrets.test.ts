import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { ConfigError } from '../../src/config-error';
import { keyIdFor, loadSecrets, parseEncryptionKeys } from '../../src/secrets';

const b64 = (buf: Buffer) => buf.toString('base64');
const expectedId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);

function expectConfigError(fn: () => unknown, pattern?: RegExp): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const err = caught as ConfigError;
  expect(err.message).toContain('WELLFLOW_ENCRYPTION_KEY');
  if (pattern) expect(err.message).toMatch(pattern);
  return err;
}

describe('parseEncryptionKeys', () => {
  it('reads a plain base64 32-byte key with an id derived from the key', () => {
    const key = randomBytes(32);
    const keys = parseEncryptionKeys(b64(key));
    expect(keys).toHaveLength(1);
    expect(keys[0]!.key.equals(key)).toBe(true);
    expect(keys[0]!.id).toMatch(/^[0-9a-f]{12}$/);
    expect(keys[0]!.id).toBe(expectedId(key));
    expect(keyIdFor(key)).toBe(expectedId(key));
  });

  it('derives the same id for the same key and different ids for different keys', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKeys(b64(key))[0]!.id).toBe(parseEncryptionKeys(` ${b64(key)} `)[0]!.id);
    expect(parseEncryptionKeys(b64(randomBytes(32)))[0]!.id).not.toBe(keyIdFor(key));
  });

  it('reads id:base64 pairs in order, the first being active', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keys = parseEncryptionKeys(`a:${b64(a)}, b:${b64(b)}`);
    expect(keys.map((k) => k.id)).toEqual(['a', 'b']);
    expect(keys[0]!.key.equals(a)).toBe(true);
    expect(keys[1]!.key.equals(b)).toBe(true);
  });

  it('mixes named and unnamed keys', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keys = parseEncryptionKeys(`new:${b64(a)},${b64(b)}`);
    expect(keys.map((k) => k.id)).toEqual(['new', expectedId(b)]);
  });

  it('rejects keys that are not 32 bytes, without echoing the key', () => {
    const short = b64(randomBytes(16));
    const err = expectConfigError(() => parseEncryptionKeys(short), /32 bytes/);
    expect(err.message).not.toContain(short);
    expectConfigError(() => parseEncryptionKeys(b64(randomBytes(33))), /32 bytes/);
    expectConfigError(() => parseEncryptionKeys(`a:${b64(randomBytes(32))},b:${b64(randomBytes(31))}`), /32 bytes/);
    expectConfigError(() => parseEncryptionKeys('not-a-key'), /32 bytes/);
  });

  it('rejects duplicate key ids', () => {
    expectConfigError(() => parseEncryptionKeys(`a:${b64(randomBytes(32))},a:${b64(randomBytes(32))}`), /duplicate/);
    const same = b64(randomBytes(32));
    expectConfigError(() => parseEncryptionKeys(`${same},${same}`), /duplicate/);
  });

  it('rejects an empty value', () => {
    expectConfigError(() => parseEncryptionKeys(''), /empty/);
    expectConfigError(() => parseEncryptionKeys(' , ,'), /empty/);
  });
});

describe('loadSecrets', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-secrets-')), 'nested', 'data');
  });
  afterEach(() => {
    fs.rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
  });
  const file = () => path.join(dataDir, 'secrets.json');

  it('generates secrets.json once, with mode 0600, and reuses it', () => {
    const first = loadSecrets({ dataDir });
    expect(fs.existsSync(file())).toBe(true);
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKeys).toHaveLength(1);
    expect(first.encryptionKeys[0]!.key).toHaveLength(32);
    expect(first.encryptionKeys[0]!.id).toBe(expectedId(first.encryptionKeys[0]!.key));

    const stored = JSON.parse(fs.readFileSync(file(), 'utf8')) as { jwtSecret: string; encryptionKey: string };
    expect(stored.jwtSecret).toBe(first.jwtSecret);
    expect(Buffer.from(stored.encryptionKey, 'base64').equals(first.encryptionKeys[0]!.key)).toBe(true);

    const mtime = fs.statSync(file()).mtimeMs;
    const second = loadSecrets({ dataDir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.encryptionKeys[0]!.id).toBe(first.encryptionKeys[0]!.id);
    expect(second.encryptionKeys[0]!.key.equals(first.encryptionKeys[0]!.key)).toBe(true);
    expect(fs.statSync(file()).mtimeMs).toBe(mtime);
  });

  it('generates different secrets for different data dirs', () => {
    const other = `${dataDir}-other`;
    const a = loadSecrets({ dataDir });
    const b = loadSecrets({ dataDir: other });
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
    expect(a.encryptionKeys[0]!.key.equals(b.encryptionKeys[0]!.key)).toBe(false);
  });

  it('prefers values from the environment and writes nothing when both are given', () => {
    const jwt = 'j'.repeat(40);
    const key = randomBytes(32);
    const secrets = loadSecrets({ dataDir, JWT_SECRET: jwt, WELLFLOW_ENCRYPTION_KEY: `k1:${b64(key)}` });
    expect(secrets.jwtSecret).toBe(jwt);
    expect(secrets.encryptionKeys).toEqual([{ id: 'k1', key }]);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('fills only the missing value from the stored file', () => {
    const generated = loadSecrets({ dataDir });
    const jwt = 'x'.repeat(48);
    const withJwt = loadSecrets({ dataDir, JWT_SECRET: jwt });
    expect(withJwt.jwtSecret).toBe(jwt);
    expect(withJwt.encryptionKeys[0]!.key.equals(generated.encryptionKeys[0]!.key)).toBe(true);

    const key = randomBytes(32);
    const withKey = loadSecrets({ dataDir, WELLFLOW_ENCRYPTION_KEY: b64(key) });
    expect(withKey.jwtSecret).toBe(generated.jwtSecret);
    expect(withKey.encryptionKeys[0]!.key.equals(key)).toBe(true);
  });

  it('rejects an invalid environment key with a ConfigError', () => {
    expect(() => loadSecrets({ dataDir, JWT_SECRET: 'y'.repeat(40), WELLFLOW_ENCRYPTION_KEY: 'short' })).toThrow(
      ConfigError,
    );
  });
});
