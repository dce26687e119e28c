import { createRoute, z } from '@hono/zod-openapi';
import type { Payload } from '@temporalio/common';
import { requireRole } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema } from '../errors';

/**
 * Codec server for the Temporal Web UI and CLI (`--codec-endpoint`): payloads travel as protobuf JSON
 * (metadata values and data base64). Staff and admins only: decoding reveals health data.
 */
const JsonPayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
const Body = z.object({ payloads: z.array(JsonPayload).max(1000) }).openapi('CodecPayloads');

const fromJson = (p: z.infer<typeof JsonPayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function registerCodecRoutes(app: App, deps: ApiDeps): void {
  for (const op of ['encode', 'decode'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/codec/${op}`,
        tags: ['codec'],
        summary: `${op === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (staff/admin)`,
        security: [{ bearer: [] }],
        request: { body: { content: { 'application/json': { schema: Body } }, required: true } },
        responses: {
          200: { content: { 'application/json': { schema: Body } }, description: 'The transformed payloads' },
          401: { content: { 'application/json': { schema: ErrorEnvelopeSchema } }, description: 'No or invalid token' },
          403: { content: { 'application/json': { schema: ErrorEnvelopeSchema } }, description: 'Not staff or admin' },
        },
      }),
      async (c) => {
        requireRole(c, ['staff', 'admin']);
        const { payloads } = c.req.valid('json');
        try {
          const out = await deps.codec[op](payloads.map(fromJson));
          return c.json({ payloads: out.map(toJson) }, 200);
        } catch (err) {
          throw new AppError('validation', 'codec_failed', `Could not ${op} the payloads: ${(err as Error).message}`);
        }
      },
    );
  }
}
