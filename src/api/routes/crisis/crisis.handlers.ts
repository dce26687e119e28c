import { requireRole, STAFF_ROLES as STAFF } from '../../auth';
import type { CrisisService } from '../../services/crisis.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './crisis.routes';

export function crisisHandlers(cases: CrisisService) {
  const list: AppRouteHandler<typeof routes.listCases> = async (c) => {
    requireRole(c, STAFF);
    return c.json({ items: await cases.list(c.req.valid('query')) }, 200);
  };

  const get: AppRouteHandler<typeof routes.getCase> = async (c) => {
    requireRole(c, STAFF);
    return c.json(await cases.get(c.req.valid('param').caseId), 200);
  };

  const acknowledge: AppRouteHandler<typeof routes.acknowledgeCase> = async (c) => {
    const who = requireRole(c, STAFF);
    const r = await cases.acknowledge(c.req.valid('param').caseId, who.sub);
    if (r.duplicate) c.header('Idempotent-Replayed', 'true');
    return c.json(r.case, 200);
  };

  const note: AppRouteHandler<typeof routes.addNote> = async (c) => {
    const who = requireRole(c, STAFF);
    return c.json(await cases.note(c.req.valid('param').caseId, who.sub, c.req.valid('json').note), 200);
  };

  const resolve: AppRouteHandler<typeof routes.resolveCase> = async (c) => {
    const who = requireRole(c, STAFF);
    return c.json(await cases.resolve(c.req.valid('param').caseId, who.sub, c.req.valid('json')), 200);
  };

  const rescreen: AppRouteHandler<typeof routes.startRescreen> = async (c) => {
    const who = requireRole(c, STAFF);
    return c.json(await cases.rescreen(c.req.valid('json').days, who.sub), 202);
  };

  return { list, get, acknowledge, note, resolve, rescreen };
}
