import { requireRole } from '../../auth';
import type { ModelRetrainingService } from '../../services/model-retrainings.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './model-retrainings.routes';

export function modelRetrainingHandlers(svc: ModelRetrainingService) {
  const startRetraining: AppRouteHandler<typeof routes.startRetraining> = async (c) => {
    const who = requireRole(c, ['admin']);
    return c.json(await svc.start(who.sub), 202);
  };
  const listRetrainings: AppRouteHandler<typeof routes.listRetrainings> = async (c) => {
    requireRole(c, ['admin']);
    return c.json(await svc.recent(), 200);
  };
  const getRetraining: AppRouteHandler<typeof routes.getRetraining> = async (c) => {
    requireRole(c, ['admin']);
    return c.json(await svc.get(c.req.valid('param').id), 200);
  };
  const approveRetraining: AppRouteHandler<typeof routes.approveRetraining> = async (c) => {
    const who = requireRole(c, ['admin']);
    return c.json(await svc.decide(c.req.valid('param').id, 'approve', who.sub), 200);
  };
  const rejectRetraining: AppRouteHandler<typeof routes.rejectRetraining> = async (c) => {
    const who = requireRole(c, ['admin']);
    return c.json(await svc.decide(c.req.valid('param').id, 'reject', who.sub), 200);
  };
  return { startRetraining, listRetrainings, getRetraining, approveRetraining, rejectRetraining };
}
