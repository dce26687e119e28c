import { caller } from '../../auth';
import type { InsightScheduleService } from '../../services/insight-schedule.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './insight-schedule.routes';

export function insightScheduleHandlers(schedules: InsightScheduleService) {
  const get: AppRouteHandler<typeof routes.getSchedule> = async (c) => c.json(await schedules.get(caller(c).sub), 200);

  const put: AppRouteHandler<typeof routes.putSchedule> = async (c) => {
    const { outcome, schedule } = await schedules.put(caller(c).sub, c.req.valid('json'));
    return outcome === 'created' ? c.json(schedule, 201) : c.json(schedule, 200);
  };

  const remove: AppRouteHandler<typeof routes.deleteSchedule> = async (c) => {
    await schedules.remove(caller(c).sub);
    return c.body(null, 204);
  };

  return { get, put, remove };
}
