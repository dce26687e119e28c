import path from 'node:path';
import type { ImageStore } from '../adapters/images/store';
import { createKServeClient } from '../adapters/inference';
import { createTrainerClient } from '../adapters/trainer';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createModelRoutingRepository } from '../db/repositories/model-routing';
import { createModelRetrainingRepository } from '../db/repositories/model-retrainings';
import type { Logger } from '../logger';
import { clientCache, type RecognizerDeps } from './model-recognition';
import { createRetrainingControlActivities } from './model-retraining';
import { createRetrainingDataActivities } from './model-retraining-data';

/** Where retraining keeps its files: <data dir>/retraining (manifests; the default evaluation set). */
export const retrainingDirOf = (dataDir: string) => path.join(path.resolve(dataDir), 'retraining');

/**
 * The retraining activities and the recognise step's canary routing, built from configuration: both read the
 * same routing row and use the same per-version model-server clients.
 */
export function createModelRetrainingActivities(deps: {
  config: Config;
  database: Database;
  images: ImageStore;
  logger: Logger;
}) {
  const { config, database, logger } = deps;
  const routing = createModelRoutingRepository(database.db, config.INFERENCE_MODEL);
  const retrainings = createModelRetrainingRepository(database.db);
  const inferenceUrl = config.INFERENCE_URL;
  const clientFor = inferenceUrl
    ? clientCache((ref) =>
        createKServeClient({
          baseUrl: inferenceUrl,
          model: ref.model,
          ...(ref.version ? { version: ref.version } : {}),
          timeoutMs: config.INFERENCE_TIMEOUT_MS,
        }),
      )
    : undefined;
  const retrainingDir = retrainingDirOf(config.dataDir);
  const recognizer: RecognizerDeps | undefined = clientFor ? { routing, clientFor, logger } : undefined;
  const activities = {
    ...createRetrainingControlActivities({
      retrainings,
      routing,
      ...(config.TRAINER_URL ? { trainer: createTrainerClient({ baseUrl: config.TRAINER_URL }) } : {}),
      pollSeconds: config.TRAINER_POLL_SECONDS,
      settings: {
        gateMargin: config.RETRAINING_GATE_MARGIN,
        canaryShare: config.RETRAINING_CANARY_SHARE,
        canaryWindow: config.RETRAINING_CANARY_WINDOW,
        canaryMinMeals: config.RETRAINING_CANARY_MIN_MEALS,
        approvalTimeout: config.RETRAINING_APPROVAL_TIMEOUT,
      },
      logger,
    }),
    ...createRetrainingDataActivities({
      retrainings,
      images: deps.images,
      ...(clientFor ? { inferenceFor: clientFor } : {}),
      evalDir: config.RETRAINING_EVAL_DIR ?? path.join(retrainingDir, 'evaluation'),
      retrainingDir,
      logger,
    }),
  };
  return { activities, recognizer };
}
