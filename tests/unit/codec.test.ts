import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/temporal/codec';
import type { EncryptionKey } from '../../src/secrets';

const keyA: EncryptionKey = { id: 'key-a', key: randomBytes(32) };
const keyB: EncryptionKey = { id: 'key-b', key: randomBytes(32) };

const value = {
  mealId: 'meal-123',
  text: 'two eggs and toast with SECRET-PLAINTEXT-MARKER',
  kcal: 412.5,
  tags: ['x', 'y'],
};
const makePayload = (): Payload => defaultPayloadConverter.toPayload(value)!;
const str = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

async function encodeOne(codec: AesGcmCodec, payload: Payload = makePayload()): Promise<Payload> {
  const [encoded] = await codec.encode([payload]);
  return encoded!;
}

describe('AesGcmCodec', () => {
  it('round-trips a payload through encode and decode', async () => {
    const codec = new AesGcmCodec([keyA]);
    const original = makePayload();
    const [decoded] = await codec.decode([await encodeOne(codec, original)]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
    expect(str(decoded!.metadata?.[METADATA_ENCODING_KEY])).toBe('json/plain');
    expect(Buffer.from(decoded!.data!).equals(Buffer.from(original.data!))).toBe(true);
  });

  it('handles several payloads in one call, preserving order', async () => {
    const codec = new AesGcmCodec([keyA]);
    const inputs = [1, 'two', { three: 3 }].map((v) => defaultPayloadConverter.toPayload(v)!);
    const decoded = await codec.decode(await codec.encode(inputs));
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([1, 'two', { three: 3 }]);
  });

  it('does not leak the plaintext into the ciphertext', async () => {
    const codec = new AesGcmCodec([keyA]);
    const encoded = await encodeOne(codec);
    const data = Buffer.from(encoded.data!);
    expect(data.includes(Buffer.from('SECRET-PLAINTEXT-MARKER'))).toBe(false);
    expect(data.includes(Buffer.from('meal-123'))).toBe(false);
    expect(data.includes(Buffer.from('json/plain'))).toBe(false);
  });

  it('marks encrypted payloads with the encoding and the key id only', async () => {
    const codec = new AesGcmCodec([keyA]);
    const encoded = await encodeOne(codec);
    expect(str(encoded.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(ENCRYPTED_ENCODING).toBe('binary/encrypted');
    expect(str(encoded.metadata?.[KEY_ID_METADATA])).toBe('key-a');
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual([METADATA_ENCODING_KEY, KEY_ID_METADATA].sort());
  });

  it('uses a random IV, so two encodes of the same payload differ', async () => {
    const codec = new AesGcmCodec([keyA]);
    const payload = makePayload();
    const first = Buffer.from((await encodeOne(codec, payload)).data!);
    const second = Buffer.from((await encodeOne(codec, payload)).data!);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(0, 12).equals(second.subarray(0, 12))).toBe(false);
  });

  it('never reuses an IV, across refills of the nonce buffer (3,000 payloads, the buffer holds 1,024)', async () => {
    const codec = new AesGcmCodec([keyA]);
    const encoded = await codec.encode(Array.from({ length: 3000 }, makePayload));
    const ivs = new Set(encoded.map((p) => Buffer.from(p.data!).subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(3000);
    const decoded = await codec.decode(encoded);
    expect(decoded.every((p) => defaultPayloadConverter.fromPayload(p) !== undefined)).toBe(true);
    expect(defaultPayloadConverter.fromPayload(decoded[2999]!)).toEqual(value);
  });

  it('supports key rotation: old payloads decode, new ones use the first key', async () => {
    const oldCodec = new AesGcmCodec([keyA]);
    const rotated = new AesGcmCodec([keyB, keyA]);
    const fromOld = await encodeOne(oldCodec);
    const [decoded] = await rotated.decode([fromOld]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);

    const fresh = await encodeOne(rotated);
    expect(str(fresh.metadata?.[KEY_ID_METADATA])).toBe('key-b');
    const [freshDecoded] = await rotated.decode([fresh]);
    expect(defaultPayloadConverter.fromPayload(freshDecoded!)).toEqual(value);
    // The old codec knows nothing about key B.
    await expect(oldCodec.decode([fresh])).rejects.toThrow(/key-b/);
  });

  it('rejects a payload whose key id is not configured', async () => {
    const encoded = await encodeOne(new AesGcmCodec([keyA]));
    await expect(new AesGcmCodec([keyB]).decode([encoded])).rejects.toThrow(/No encryption key with id key-a/);
  });

  it('rejects a payload encrypted with a different key under the same id', async () => {
    const encoded = await encodeOne(new AesGcmCodec([keyA]));
    const impostor = new AesGcmCodec([{ id: 'key-a', key: randomBytes(32) }]);
    await expect(impostor.decode([encoded])).rejects.toThrow();
  });

  it('rejects tampered ciphertext, IV or tag', async () => {
    const codec = new AesGcmCodec([keyA]);
    const encoded = await encodeOne(codec);
    const data = Buffer.from(encoded.data!);
    for (const index of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[index] = tampered[index]! ^ 0x01;
      await expect(codec.decode([{ ...encoded, data: tampered }]), `byte ${index}`).rejects.toThrow();
    }
  });

  it('rejects truncated data and a missing key id', async () => {
    const codec = new AesGcmCodec([keyA]);
    const encoded = await encodeOne(codec);
    await expect(codec.decode([{ ...encoded, data: Buffer.from(encoded.data!).subarray(0, 20) }])).rejects.toThrow(
      /truncated/,
    );
    const noKeyId = {
      metadata: { [METADATA_ENCODING_KEY]: encoded.metadata![METADATA_ENCODING_KEY]! },
      data: encoded.data,
    };
    await expect(codec.decode([noKeyId])).rejects.toThrow(/no key id/);
  });

  it('passes non-encrypted payloads through decode unchanged', async () => {
    const codec = new AesGcmCodec([keyA]);
    const plain = makePayload();
    const binary = defaultPayloadConverter.toPayload(new Uint8Array([1, 2, 3]))!;
    const bare: Payload = { data: new Uint8Array([9, 9]) };
    const decoded = await codec.decode([plain, binary, bare]);
    expect(decoded[0]).toBe(plain);
    expect(decoded[1]).toBe(binary);
    expect(decoded[2]).toBe(bare);
    expect(defaultPayloadConverter.fromPayload(decoded[0]!)).toEqual(value);
  });

  it('refuses to be built without keys', () => {
    expect(() => new AesGcmCodec([])).toThrow(/at least one key/);
  });
});
