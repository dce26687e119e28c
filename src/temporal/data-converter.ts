import type { DataConverter } from '@temporalio/common';
import type { EncryptionKey } from '../secrets';
import { AesGcmCodec } from './codec';

/** The same converter on every client and worker, so every payload is encrypted the same way. */
export function createDataConverter(keys: EncryptionKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keys)] };
}
