import { caller } from '../../auth';
import type { InsightService } from '../../services/insights.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './insights.routes';

export function insightHandlers(insights: InsightService) {
  const computeWeek: AppRouteHandler<typeof routes.computeWeek> = async (c) =>
    // The body is optional: no body means the current week in the person's zone.
    c.json(await insights.compute(caller(c).sub, c.req.valid('json') ?? {}), 202);

  const getWeek: AppRouteHandler<typeof routes.getWeek> = async (c) =>
    c.json(await insights.getWeek(caller(c).sub, c.req.valid('query').weekStart), 200);

  const chart: AppRouteHandler<typeof routes.chart> = async (c) =>
    c.body(await insights.chart(c.req.valid('param').insightId, caller(c).sub), 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
    });

  return { computeWeek, getWeek, chart };
}
