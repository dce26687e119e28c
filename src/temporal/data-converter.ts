import path from 'node:path';
import type { DataConverter, PayloadCodec } from '@temporalio/common';

/**
 * The failure converter module (failure-converter.js): failure messages and stack traces go into an encoded
 * payload, so the codec encrypts them as it encrypts inputs and results. The workflow bundle is built with the
 * same path (src/worker/bundle.ts) so failures raised inside workflow code are encoded too.
 */
export const FAILURE_CONVERTER_PATH = path.resolve(__dirname, 'failure-converter.js');

/**
 * The one data converter of every Temporal client and worker: the AES-GCM payload codec and the failure converter
 * that makes failure messages payloads. A process built without it would write failures in clear.
 */
export function wellflowDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}
