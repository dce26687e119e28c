import type { EncryptionKey } from '../secrets';
import { open, seal } from './aes-gcm';

/**
 * Encrypts sensitive text at rest (journal entries, staff notes) with the app's key ring: the first key
 * encrypts, every key decrypts, so keys rotate the same way as Temporal payloads. Stored form:
 * `v1:<keyId>:<base64>`; the record id is bound in as associated data.
 */
export function createTextCipher(keys: EncryptionKey[]) {
  if (keys.length === 0) throw new Error('the text cipher needs at least one key');
  const active = keys[0]!;
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    encrypt(text: string, context: string): string {
      return `v1:${active.id}:${seal(active.key, Buffer.from(text, 'utf8'), Buffer.from(context, 'utf8')).toString('base64')}`;
    },
    decrypt(stored: string, context: string): string {
      const [version, keyId, data] = stored.split(':');
      if (version !== 'v1' || !keyId || !data) throw new Error('not an encrypted text value');
      const key = byId.get(keyId);
      if (!key) throw new Error(`no encryption key with id ${keyId} is configured`);
      return open(key, Buffer.from(data, 'base64'), Buffer.from(context, 'utf8')).toString('utf8');
    },
  };
}

export type TextCipher = ReturnType<typeof createTextCipher>;
