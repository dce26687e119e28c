import type { Database } from '../db/client';
import { createMealRepository } from '../db/repositories/meals';
import type { Logger } from '../logger';
import { createMealActivities } from './meals';

export interface ActivityDeps {
  database: Database;
  logger: Logger;
}

/** Every activity the workers register, built from its dependencies (no module-level I/O state). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMealActivities({ meals: createMealRepository(deps.database.db), logger: deps.logger }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
