import { createRoute, z } from '@hono/zod-openapi';
import { roleFirst, STAFF_ROLES } from '../../auth';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';

/**
 * Codec server for the Temporal Web UI and CLI (`--codec-endpoint`): payloads travel as protobuf JSON
 * (metadata values and data base64). Staff and admins only: decoding reveals health data.
 */
const JsonPayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
const Payloads = z.object({ payloads: z.array(JsonPayload).max(1000) }).openapi('CodecPayloads');

const codecRoute = <Op extends 'encode' | 'decode'>(op: Op) =>
  createRoute({
    method: 'post',
    path: `/codec/${op}`,
    tags: ['codec'],
    summary: `${op === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (staff/admin)`,
    security: bearer,
    // The role before the body: a user gets 403 whatever they send.
    middleware: [roleFirst(STAFF_ROLES)],
    request: jsonBody(Payloads),
    responses: {
      200: jsonContent(Payloads, 'The transformed payloads'),
      ...jsonBodyErrors,
      401: err('No or invalid token'),
      403: err('Not staff or admin'),
    },
  });

export const encode = codecRoute('encode');
export const decode = codecRoute('decode');
