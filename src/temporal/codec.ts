import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { open, seal } from '../crypto/aes-gcm';
import type { EncryptionKey } from '../secrets';

/**
 * AES-256-GCM payload codec: every payload that reaches Temporal (workflow inputs, activity results,
 * query answers, failures' details) is encrypted, so no health data is ever stored in history in plain
 * text. The key id travels in the payload metadata, so keys rotate by prepending a new key: old histories
 * stay readable with the old key while new payloads use the new one.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export class AesGcmCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly active: EncryptionKey;

  constructor(keys: EncryptionKey[]) {
    if (keys.length === 0) throw new Error('AesGcmCodec needs at least one key');
    this.active = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = seal(this.active.key, plain);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: textEncoder.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: textEncoder.encode(this.active.id),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || textDecoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!keyIdBytes) throw new ValueError('Encrypted payload has no key id');
      const keyId = textDecoder.decode(keyIdBytes);
      const key = this.byId.get(keyId);
      if (!key) throw new ValueError(`No encryption key with id ${keyId} is configured`);
      let plain: Buffer;
      try {
        plain = open(key, Buffer.from(payload.data ?? new Uint8Array()));
      } catch (err) {
        throw new ValueError(`Encrypted payload cannot be decrypted: ${(err as Error).message}`);
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
