import { createRouter } from '../../router';
import { createModelRetrainingService } from '../../services/model-retrainings.service';
import type { ApiDeps } from '../../types';
import { modelRetrainingHandlers } from './model-retrainings.handlers';
import * as routes from './model-retrainings.routes';

/** Model retraining for admins (docs/model-retraining.md). */
export function modelRetrainingsRouter(deps: ApiDeps) {
  const handlers = modelRetrainingHandlers(
    createModelRetrainingService({
      temporal: deps.temporal,
      database: deps.database,
      defaultModel: deps.config.INFERENCE_MODEL,
    }),
  );
  return createRouter()
    .openapi(routes.startRetraining, handlers.startRetraining)
    .openapi(routes.listRetrainings, handlers.listRetrainings)
    .openapi(routes.getRetraining, handlers.getRetraining)
    .openapi(routes.approveRetraining, handlers.approveRetraining)
    .openapi(routes.rejectRetraining, handlers.rejectRetraining);
}
