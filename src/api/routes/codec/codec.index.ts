import { createRouter } from '../../router';
import { createCodecService } from '../../services/codec.service';
import type { ApiDeps } from '../../types';
import { codecHandlers } from './codec.handlers';
import * as routes from './codec.routes';

export function codecRouter(deps: ApiDeps) {
  const handlers = codecHandlers(createCodecService(deps.codec));
  return createRouter().openapi(routes.encode, handlers.encode).openapi(routes.decode, handlers.decode);
}
