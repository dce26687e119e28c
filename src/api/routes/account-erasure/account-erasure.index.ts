import { createRouter } from '../../router';
import { createAccountErasureService } from '../../services/account-erasure.service';
import type { ApiDeps } from '../../types';
import { accountErasureHandlers } from './account-erasure.handlers';
import * as routes from './account-erasure.routes';

/** Account erasure (docs/account-lifecycle.md, Erasure): the person's DELETE /v1/me and the admin routes. */
export function accountErasureRouter(deps: ApiDeps) {
  const handlers = accountErasureHandlers(
    createAccountErasureService({ database: deps.database, temporal: deps.temporal, logger: deps.logger }),
  );
  return createRouter()
    .openapi(routes.eraseMe, handlers.eraseMe)
    .openapi(routes.eraseUser, handlers.eraseUser)
    .openapi(routes.getErasure, handlers.getErasure);
}
