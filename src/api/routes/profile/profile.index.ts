import { createRouter } from '../../router';
import { createProfileService } from '../../services/profile.service';
import type { ApiDeps } from '../../types';
import { profileHandlers } from './profile.handlers';
import * as routes from './profile.routes';

/** The caller's own profile: personal daily targets (Mifflin-St Jeor) and the guideline profile for feedback. */
export function profileRouter(deps: ApiDeps) {
  const handlers = profileHandlers(createProfileService({ database: deps.database }));
  return createRouter()
    .openapi(routes.getProfile, handlers.get)
    .openapi(routes.putProfile, handlers.put)
    .openapi(routes.deleteProfile, handlers.remove);
}
