import { requireRole } from '../../auth';
import type { ScheduleService } from '../../services/schedules.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './schedules.routes';

const ADMIN = ['admin'] as const;

export function scheduleHandlers(schedules: ScheduleService) {
  const list: AppRouteHandler<typeof routes.listSchedules> = async (c) => {
    requireRole(c, ADMIN);
    return c.json({ items: await schedules.list() }, 200);
  };

  const get: AppRouteHandler<typeof routes.getSchedule> = async (c) => {
    requireRole(c, ADMIN);
    return c.json(await schedules.get(c.req.valid('param').id), 200);
  };

  const setPaused =
    (action: 'pause' | 'unpause'): AppRouteHandler<typeof routes.pauseSchedule> =>
    async (c) => {
      const who = requireRole(c, ADMIN);
      // The body is optional: without a note, the schedule says who paused it.
      const note = c.req.valid('json')?.note ?? `${action}d by ${who.sub}`;
      return c.json(await schedules.setPaused(c.req.valid('param').id, action, note), 200);
    };

  const trigger: AppRouteHandler<typeof routes.triggerSchedule> = async (c) => {
    requireRole(c, ADMIN);
    const { id } = c.req.valid('param');
    await schedules.trigger(id);
    return c.json({ scheduleId: id, triggered: true }, 202);
  };

  const backfill: AppRouteHandler<typeof routes.backfillSchedule> = async (c) => {
    requireRole(c, ADMIN);
    const { start, end } = c.req.valid('json');
    return c.json(await schedules.backfill(c.req.valid('param').id, start, end), 202);
  };

  return { list, get, pause: setPaused('pause'), unpause: setPaused('unpause'), trigger, backfill };
}
