import { createRouter } from '../../router';
import { createMaintenanceService } from '../../services/maintenance.service';
import type { ApiDeps } from '../../types';
import { maintenanceHandlers } from './maintenance.handlers';
import * as routes from './maintenance.routes';

/** Maintenance jobs on demand (admin). */
export function maintenanceRouter(deps: ApiDeps) {
  const handlers = maintenanceHandlers(createMaintenanceService({ temporal: deps.temporal }));
  return createRouter().openapi(routes.runJob, handlers.runJob);
}
