import { requireRole } from '../../auth';
import type { CodecService } from '../../services/codec.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './codec.routes';

export function codecHandlers(transform: CodecService) {
  const handler =
    (op: 'encode' | 'decode'): AppRouteHandler<typeof routes.encode> =>
    async (c) => {
      requireRole(c, ['staff', 'admin']);
      return c.json({ payloads: await transform(op, c.req.valid('json').payloads) }, 200);
    };
  return { encode: handler('encode'), decode: handler('decode') };
}
