import { createRouter } from '../../router';
import { createInsightScheduleService } from '../../services/insight-schedule.service';
import type { ApiDeps } from '../../types';
import { insightScheduleHandlers } from './insight-schedule.handlers';
import * as routes from './insight-schedule.routes';

export function insightScheduleRouter(deps: ApiDeps) {
  const handlers = insightScheduleHandlers(
    createInsightScheduleService({ database: deps.database, temporal: deps.temporal, logger: deps.logger }),
  );
  return createRouter()
    .openapi(routes.getSchedule, handlers.get)
    .openapi(routes.putSchedule, handlers.put)
    .openapi(routes.deleteSchedule, handlers.remove);
}
