import { createRouter } from '../../router';
import { createCrisisService } from '../../services/crisis.service';
import type { ApiDeps } from '../../types';
import { crisisHandlers } from './crisis.handlers';
import * as routes from './crisis.routes';

export function crisisRouter(deps: ApiDeps) {
  const handlers = crisisHandlers(
    createCrisisService({
      database: deps.database,
      temporal: deps.temporal,
      secrets: deps.secrets,
      screenerVersion: deps.screenerVersion,
    }),
  );
  return createRouter()
    .openapi(routes.listCases, handlers.list)
    .openapi(routes.getCase, handlers.get)
    .openapi(routes.acknowledgeCase, handlers.acknowledge)
    .openapi(routes.addNote, handlers.note)
    .openapi(routes.resolveCase, handlers.resolve)
    .openapi(routes.startRescreen, handlers.rescreen);
}
