import { createRouter } from '../../router';
import { createScheduleService } from '../../services/schedules.service';
import type { ApiDeps } from '../../types';
import { scheduleHandlers } from './schedules.handlers';
import * as routes from './schedules.routes';

export function schedulesRouter(deps: ApiDeps) {
  const handlers = scheduleHandlers(
    createScheduleService({ temporal: deps.temporal, schedulesFile: deps.config.SCHEDULES_FILE }),
  );
  return createRouter()
    .openapi(routes.listSchedules, handlers.list)
    .openapi(routes.getSchedule, handlers.get)
    .openapi(routes.pauseSchedule, handlers.pause)
    .openapi(routes.unpauseSchedule, handlers.unpause)
    .openapi(routes.triggerSchedule, handlers.trigger)
    .openapi(routes.backfillSchedule, handlers.backfill);
}
