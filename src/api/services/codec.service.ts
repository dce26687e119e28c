import type { Payload, PayloadCodec } from '@temporalio/common';
import { AppError } from '../errors';

/** A payload as the Temporal Web UI and CLI send it: protobuf JSON, metadata values and data base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** The codec server: encrypts or decrypts payloads with the service's payload codec. */
export function createCodecService(codec: PayloadCodec) {
  return async function transform(op: 'encode' | 'decode', payloads: JsonPayload[]): Promise<JsonPayload[]> {
    try {
      return (await codec[op](payloads.map(fromJson))).map(toJson);
    } catch (err) {
      throw new AppError('validation', 'codec_failed', `Could not ${op} the payloads: ${(err as Error).message}`);
    }
  };
}

export type CodecService = ReturnType<typeof createCodecService>;
