import { randomBytes, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error';

/**
 * Secrets for the zero-setup path: when JWT_SECRET or WELLFLOW_ENCRYPTION_KEY are not configured they are
 * generated once into `<data dir>/secrets.json` (mode 0600) and reused on every start, so tokens and
 * encrypted Temporal payloads stay valid across restarts.
 */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Secrets {
  jwtSecret: string;
  /** The first key encrypts; every key decrypts (rotation: prepend the new key, keep the old ones). */
  encryptionKeys: EncryptionKey[];
}

interface StoredSecrets {
  jwtSecret: string;
  encryptionKey: string;
}

export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * WELLFLOW_ENCRYPTION_KEY: a base64 32-byte key, or a comma-separated list of `id:base64key` (first one
 * active). Anything else is a configuration error naming the variable.
 */
export function parseEncryptionKeys(raw: string): EncryptionKey[] {
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new ConfigError('Invalid configuration: WELLFLOW_ENCRYPTION_KEY is empty');
  const keys = parts.map((part) => {
    const idx = part.indexOf(':');
    const [id, b64] = idx > 0 ? [part.slice(0, idx), part.slice(idx + 1)] : [undefined, part];
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) {
      throw new ConfigError(
        'Invalid configuration: WELLFLOW_ENCRYPTION_KEY must be base64 of 32 bytes (or id:base64 pairs, comma-separated)',
      );
    }
    return { id: id ?? keyIdFor(key), key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw new ConfigError('Invalid configuration: WELLFLOW_ENCRYPTION_KEY has duplicate key ids');
  }
  return keys;
}

function readOrCreateStored(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, 'secrets.json');
  fs.mkdirSync(dataDir, { recursive: true });
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredSecrets;
  const stored: StoredSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
  // 'wx' fails if another process created it first; then read theirs so both agree.
  try {
    fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    return stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredSecrets;
    }
    throw err;
  }
}

export function loadSecrets(config: {
  dataDir: string;
  JWT_SECRET?: string;
  WELLFLOW_ENCRYPTION_KEY?: string;
}): Secrets {
  const needStored = !config.JWT_SECRET || !config.WELLFLOW_ENCRYPTION_KEY;
  const stored = needStored ? readOrCreateStored(config.dataDir) : undefined;
  return {
    jwtSecret: config.JWT_SECRET ?? stored!.jwtSecret,
    encryptionKeys: parseEncryptionKeys(config.WELLFLOW_ENCRYPTION_KEY ?? stored!.encryptionKey),
  };
}
