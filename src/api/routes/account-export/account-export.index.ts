import { createRouter } from '../../router';
import { createAccountExportService } from '../../services/account-export.service';
import type { ApiDeps } from '../../types';
import { accountExportHandlers } from './account-export.handlers';
import * as routes from './account-export.routes';

/** The caller's account export (docs/account-lifecycle.md, Export) and the one-time download links. */
export function accountExportRouter(deps: ApiDeps) {
  const handlers = accountExportHandlers(
    createAccountExportService({
      database: deps.database,
      temporal: deps.temporal,
      logger: deps.logger,
      config: deps.config,
    }),
  );
  return createRouter()
    .openapi(routes.startExport, handlers.start)
    .openapi(routes.getExport, handlers.get)
    .openapi(routes.downloadExport, handlers.download);
}
