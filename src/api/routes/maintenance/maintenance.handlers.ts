import { requireRole } from '../../auth';
import type { MaintenanceService } from '../../services/maintenance.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './maintenance.routes';

export function maintenanceHandlers(maintenance: MaintenanceService) {
  const runJob: AppRouteHandler<typeof routes.runJob> = async (c) => {
    const who = requireRole(c, ['admin']);
    return c.json(await maintenance.run(c.req.valid('param').job, who.sub), 202);
  };
  return { runJob };
}
