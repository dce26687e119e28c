import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DATA_KEY_BYTES,
  formatV2,
  needsRewrap,
  newDataKey,
  newDataKeyId,
  parseStoredText,
  unwrapDataKey,
  wrapDataKey,
} from '../../src/crypto/data-keys';
import { seal } from '../../src/crypto/aes-gcm';
import { createTextCipher, openText } from '../../src/crypto/text-cipher';
import { UnreadableTextError } from '../../src/crypto/unreadable-text';
import type { EncryptionKey } from '../../src/secrets';

/**
 * The envelope of per-person journal data keys (src/crypto/data-keys.ts): wrapping under the deployment key
 * ring, rotation of that ring, tamper detection with a typed error, and the v1/v2 stored forms side by side.
 * The store, the cache and key creation are exercised on PostgreSQL in tests/integration/journal-data-keys.test.ts.
 */
const ringKey = (id: string): EncryptionKey => ({ id, key: randomBytes(32) });

function unreadable(fn: () => unknown): UnreadableTextError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableTextError);
    return err as UnreadableTextError;
  }
  throw new Error('expected an UnreadableTextError');
}

/** Flips one bit of base64 data at byte `at`. */
function flip(b64: string, at: number): string {
  const buf = Buffer.from(b64, 'base64');
  buf[at] = buf[at]! ^ 0x01;
  return buf.toString('base64');
}

describe('data key wrapping', () => {
  it('wraps under the active ring key and unwraps to the same 32 bytes; the stored form holds no key bytes', () => {
    const a = ringKey('a');
    const key = newDataKey();
    expect(key).toHaveLength(DATA_KEY_BYTES);
    const w = wrapDataKey([a], 'alice', 'k1', key);
    expect(w).toMatchObject({ keyId: 'k1', wrappingKeyId: 'a' });
    expect(Buffer.from(w.wrapped, 'base64').includes(key)).toBe(false);
    expect(unwrapDataKey([a], 'alice', w).equals(key)).toBe(true);
    // A fresh nonce each time: wrapping twice gives different bytes for the same key.
    expect(wrapDataKey([a], 'alice', 'k1', key).wrapped).not.toBe(w.wrapped);
    expect(newDataKeyId()).toMatch(/^[0-9a-f]{16}$/);
    expect(newDataKeyId()).not.toBe(newDataKeyId());
  });

  it('rotation: a key wrapped under the old ring key unwraps while that key is in the ring, and re-wraps under the new one', () => {
    const old = ringKey('old');
    const next = ringKey('new');
    const key = newDataKey();
    const w = wrapDataKey([old], 'alice', 'k1', key);
    const rotated = [next, old];
    expect(needsRewrap(rotated, w)).toBe(true);
    expect(unwrapDataKey(rotated, 'alice', w).equals(key)).toBe(true);
    const rewrapped = wrapDataKey(rotated, 'alice', w.keyId, unwrapDataKey(rotated, 'alice', w));
    expect(rewrapped.wrappingKeyId).toBe('new');
    expect(needsRewrap(rotated, rewrapped)).toBe(false);
    // Once re-wrapped, the old ring key can be retired.
    expect(unwrapDataKey([next], 'alice', rewrapped).equals(key)).toBe(true);
    // Not re-wrapped and the old key retired: a typed error naming the cause, not a crash.
    expect(unreadable(() => unwrapDataKey([next], 'alice', w)).reason).toBe('wrapping_key_unknown');
  });

  it('detects tampering: a changed bit, a truncation, a wrapped key moved to another person or key id', () => {
    const a = ringKey('a');
    const w = wrapDataKey([a], 'alice', 'k1', newDataKey());
    for (const at of [0, 12, 30, Buffer.from(w.wrapped, 'base64').length - 1])
      expect(unreadable(() => unwrapDataKey([a], 'alice', { ...w, wrapped: flip(w.wrapped, at) })).reason).toBe(
        'tampered',
      );
    expect(unreadable(() => unwrapDataKey([a], 'alice', { ...w, wrapped: w.wrapped.slice(0, 20) })).reason).toBe(
      'tampered',
    );
    expect(unreadable(() => unwrapDataKey([a], 'bob', w)).reason).toBe('tampered');
    expect(unreadable(() => unwrapDataKey([a], 'alice', { ...w, keyId: 'k2' })).reason).toBe('tampered');
    // The same bytes under another ring key with the same id: still refused.
    expect(unreadable(() => unwrapDataKey([{ id: 'a', key: randomBytes(32) }], 'alice', w)).reason).toBe('tampered');
    expect(() => wrapDataKey([a], 'alice', 'k1', randomBytes(16))).toThrow(RangeError);
  });
});

describe('stored text forms', () => {
  it('v2 text: sealed under the data key with the record id bound in; tampering and another record are refused', () => {
    const key = newDataKey();
    const stored = formatV2('k1', seal(key, Buffer.from('a calm walk by the river'), Buffer.from('entry-1')));
    expect(stored).toMatch(/^v2:k1:[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('calm');
    const parsed = parseStoredText(stored);
    expect(parsed).toMatchObject({ version: 'v2', keyId: 'k1' });
    if (parsed.version !== 'v2') throw new Error('v2 expected');
    expect(openText(key, parsed.data, 'entry-1')).toBe('a calm walk by the river');
    expect(unreadable(() => openText(key, parsed.data, 'entry-2')).reason).toBe('tampered');
    expect(unreadable(() => openText(key, flip(parsed.data, 20), 'entry-1')).reason).toBe('tampered');
    expect(unreadable(() => openText(newDataKey(), parsed.data, 'entry-1')).reason).toBe('tampered');
  });

  it('v1 text (the deployment key ring) keeps reading, across a ring rotation, with typed errors', () => {
    const old = ringKey('old');
    const v1 = createTextCipher([old]).encrypt('written before data keys', 'entry-1');
    expect(parseStoredText(v1)).toEqual({ version: 'v1', stored: v1 });
    const rotated = createTextCipher([ringKey('new'), old]);
    expect(rotated.decrypt(v1, 'entry-1')).toBe('written before data keys');
    expect(unreadable(() => rotated.decrypt(v1, 'entry-2')).reason).toBe('tampered');
    expect(unreadable(() => createTextCipher([ringKey('new')]).decrypt(v1, 'entry-1')).reason).toBe(
      'wrapping_key_unknown',
    );
  });

  it('anything else is malformed', () => {
    for (const bad of ['plain text', 'v3:x:y', 'v2:k1', 'v2::abc', 'v2:k1:abc:extra', ''])
      expect(unreadable(() => parseStoredText(bad)).reason).toBe('malformed');
    expect(unreadable(() => createTextCipher([ringKey('a')]).decrypt('v2:k1:abc', 'x')).reason).toBe('malformed');
  });
});
