import { caller } from '../../auth';
import type { AccountErasureService } from '../../services/account-erasure.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './account-erasure.routes';

export function accountErasureHandlers(erasure: AccountErasureService) {
  const eraseMe: AppRouteHandler<typeof routes.eraseMe> = async (c) =>
    c.json(await erasure.erase(caller(c).sub, 'api'), 202);

  const eraseUser: AppRouteHandler<typeof routes.eraseUser> = async (c) =>
    c.json(await erasure.erase(c.req.valid('param').userId, 'admin'), 202);

  const getErasure: AppRouteHandler<typeof routes.getErasure> = async (c) =>
    c.json(await erasure.receipt(c.req.valid('param').userId), 200);

  return { eraseMe, eraseUser, getErasure };
}
