import type { EncryptionKey } from '../secrets';
import { open, seal } from './aes-gcm';
import { UnreadableTextError } from './unreadable-text';

/**
 * Encrypts sensitive text at rest with the app's key ring: the first key encrypts, every key decrypts, so keys
 * rotate the same way as Temporal payloads. Stored form: `v1:<keyId>:<base64>`; the record id is bound in as
 * associated data. Staff notes use it; journal text is written as v2 under the person's own data key
 * (src/crypto/person-cipher.ts), which still reads v1 text through this cipher.
 */
export function createTextCipher(keys: EncryptionKey[]) {
  if (keys.length === 0) throw new Error('the text cipher needs at least one key');
  const active = keys[0]!;
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    encrypt(text: string, context: string): string {
      return `v1:${active.id}:${seal(active.key, Buffer.from(text, 'utf8'), Buffer.from(context, 'utf8')).toString('base64')}`;
    },
    /** Throws UnreadableTextError (malformed, wrapping_key_unknown, tampered). */
    decrypt(stored: string, context: string): string {
      const [version, keyId, data] = stored.split(':');
      if (version !== 'v1' || !keyId || !data)
        throw new UnreadableTextError('malformed', 'not an encrypted text value');
      const key = byId.get(keyId);
      if (!key)
        throw new UnreadableTextError('wrapping_key_unknown', `no encryption key with id ${keyId} is configured`);
      return openText(key, data, context);
    },
  };
}

export type TextCipher = ReturnType<typeof createTextCipher>;

/** Opens one sealed text (base64) bound to `context`; any authentication failure is `tampered`. */
export function openText(key: Buffer, data: string, context: string): string {
  try {
    return open(key, Buffer.from(data, 'base64'), Buffer.from(context, 'utf8')).toString('utf8');
  } catch {
    throw new UnreadableTextError('tampered', 'the stored text does not authenticate (changed, truncated or moved)');
  }
}
