import { createRouter } from '../../router';
import { createBatchService } from '../../services/batches.service';
import type { ApiDeps } from '../../types';
import { batchHandlers } from './meal-batches.handlers';
import * as routes from './meal-batches.routes';

export function mealBatchesRouter(deps: ApiDeps) {
  const handlers = batchHandlers(
    createBatchService({
      database: deps.database,
      temporal: deps.temporal,
      logger: deps.logger,
      idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    }),
  );
  return createRouter().openapi(routes.createBatch, handlers.create).openapi(routes.getBatch, handlers.get);
}
