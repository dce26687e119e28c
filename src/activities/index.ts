import { createEventPublisher, type EventPublisher } from '../adapters/events/publisher';
import { createImageStore, type ImageStore } from '../adapters/images/store';
import { createKServeClient } from '../adapters/inference';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createMealRepository } from '../db/repositories/meals';
import { createProfileRepository } from '../db/repositories/profiles';
import type { Logger } from '../logger';
import { createMealActivities } from './meals';

export interface ActivityDeps {
  config: Config;
  database: Database;
  logger: Logger;
  /** Lets the close step read its own run's history (the true attempt count of every step). */
  temporal: Client;
  images?: ImageStore;
  events?: EventPublisher;
}

/** Every activity the workers register, built from its dependencies (no module-level I/O state). */
export function createActivities(deps: ActivityDeps) {
  const { config, database, logger } = deps;
  return {
    ...createMealActivities({
      meals: createMealRepository(database.db),
      profiles: createProfileRepository(database.db),
      images: deps.images ?? createImageStore(config.dataDir),
      inference: config.INFERENCE_URL ? createKServeClient({ baseUrl: config.INFERENCE_URL, model: config.INFERENCE_MODEL, timeoutMs: config.INFERENCE_TIMEOUT_MS }) : undefined,
      events: deps.events ?? createEventPublisher(config.NATS_URL, logger),
      temporal: deps.temporal,
      logger,
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
