import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing shared by the Temporal payload codec and the at-rest text cipher: a fresh random
 * 96-bit nonce per message (GCM's recommended size), the 128-bit tag appended. `aad` binds the ciphertext to
 * its context (e.g. a row id) so it cannot be moved to another record undetected.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, plain: Uint8Array, aad?: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Throws when the data is truncated, was sealed with another key or context, or was tampered with. */
export function open(key: Buffer, data: Buffer, aad?: Uint8Array): Buffer {
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
}
