import { createRouter } from '../../router';
import { createInsightService } from '../../services/insights.service';
import type { ApiDeps } from '../../types';
import { insightHandlers } from './insights.handlers';
import * as routes from './insights.routes';

export function insightsRouter(deps: ApiDeps) {
  const handlers = insightHandlers(
    createInsightService({ database: deps.database, temporal: deps.temporal, logger: deps.logger }),
  );
  return createRouter()
    .openapi(routes.computeWeek, handlers.computeWeek)
    .openapi(routes.getWeek, handlers.getWeek)
    .openapi(routes.chart, handlers.chart);
}
