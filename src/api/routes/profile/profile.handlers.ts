import { caller } from '../../auth';
import type { ProfileService } from '../../services/profile.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './profile.routes';

export function profileHandlers(profiles: ProfileService) {
  const get: AppRouteHandler<typeof routes.getProfile> = async (c) => c.json(await profiles.get(caller(c).sub), 200);

  const put: AppRouteHandler<typeof routes.putProfile> = async (c) =>
    c.json(await profiles.put(caller(c).sub, c.req.valid('json')), 200);

  const remove: AppRouteHandler<typeof routes.deleteProfile> = async (c) => {
    await profiles.remove(caller(c).sub);
    return c.body(null, 204);
  };

  return { get, put, remove };
}
