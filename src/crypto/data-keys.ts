import { randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../secrets';
import { open, seal } from './aes-gcm';
import { UnreadableTextError } from './unreadable-text';

/**
 * Envelope encryption of per-person data keys (docs/account-lifecycle.md, Crypto-shredding). A data key is 32
 * random bytes (AES-256) created on the person's first journal write; it is stored only wrapped, sealed with
 * AES-256-GCM under the deployment key ring (WELLFLOW_ENCRYPTION_KEY), with the id of the wrapping key so the
 * ring can rotate: the first key wraps, every key unwraps, and a key wrapped under an older one is re-wrapped
 * under the active one when it is next used. Destroying the stored row makes everything sealed under the data
 * key unreadable.
 */
export const DATA_KEY_BYTES = 32;

/** A data key as it is stored: never the key itself. */
export interface WrappedDataKey {
  /** Random id of this data key, written into every v2 text it seals (so a replaced key is told apart). */
  keyId: string;
  /** Id of the deployment key that wrapped it. */
  wrappingKeyId: string;
  /** base64 of nonce + sealed key + tag. */
  wrapped: string;
}

export const newDataKeyId = (): string => randomBytes(8).toString('hex');
export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

/** The wrapped key is bound to its person and id: a row copied onto another person does not unwrap. */
const wrapContext = (userId: string, keyId: string) => Buffer.from(`wellflow-data-key:${userId}:${keyId}`, 'utf8');

export function wrapDataKey(
  ring: readonly EncryptionKey[],
  userId: string,
  keyId: string,
  key: Buffer,
): WrappedDataKey {
  const active = ring[0];
  if (!active) throw new Error('wrapping a data key needs at least one deployment key');
  if (key.length !== DATA_KEY_BYTES) throw new RangeError(`a data key is ${DATA_KEY_BYTES} bytes`);
  return {
    keyId,
    wrappingKeyId: active.id,
    wrapped: seal(active.key, key, wrapContext(userId, keyId)).toString('base64'),
  };
}

/** Throws UnreadableTextError: `wrapping_key_unknown` (not in the ring) or `tampered` (does not authenticate). */
export function unwrapDataKey(ring: readonly EncryptionKey[], userId: string, w: WrappedDataKey): Buffer {
  const wrapping = ring.find((k) => k.id === w.wrappingKeyId);
  if (!wrapping)
    throw new UnreadableTextError(
      'wrapping_key_unknown',
      `the data key is wrapped under key ${w.wrappingKeyId}, which is not configured`,
    );
  let key: Buffer;
  try {
    key = open(wrapping.key, Buffer.from(w.wrapped, 'base64'), wrapContext(userId, w.keyId));
  } catch {
    throw new UnreadableTextError('tampered', 'the wrapped data key does not authenticate');
  }
  if (key.length !== DATA_KEY_BYTES)
    throw new UnreadableTextError('tampered', 'the wrapped data key has the wrong size');
  return key;
}

/** True when the key is wrapped under a ring key other than the active one (rotation: re-wrap it). */
export const needsRewrap = (ring: readonly EncryptionKey[], w: WrappedDataKey): boolean =>
  ring[0] !== undefined && w.wrappingKeyId !== ring[0].id;

/** A stored text: `v1:<deploymentKeyId>:<base64>` (the ring) or `v2:<dataKeyId>:<base64>` (the person's key). */
export type StoredText = { version: 'v1'; stored: string } | { version: 'v2'; keyId: string; data: string };

export function parseStoredText(stored: string): StoredText {
  const [version, keyId, data, extra] = stored.split(':');
  if (version === 'v1') return { version, stored };
  if (version === 'v2' && keyId && data && extra === undefined) return { version, keyId, data };
  throw new UnreadableTextError('malformed', 'not an encrypted text value');
}

export const formatV2 = (keyId: string, sealed: Buffer): string => `v2:${keyId}:${sealed.toString('base64')}`;
