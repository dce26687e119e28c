import { createRoute, z } from '@hono/zod-openapi';
import { createProfileRepository } from '../../db/repositories/profiles';
import {
  deletePersonSchedule,
  describePersonSchedule,
  personScheduleOf,
  upsertPersonSchedule,
} from '../../temporal/schedules/person';
import { InsightScheduleBody } from '../schemas/insights';
import { caller } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema, notFound } from '../errors';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
const ScheduleView = z
  .object({
    scheduleId: z.string(),
    dayOfWeek: z.string(),
    time: z.string(),
    timezone: z.string(),
    paused: z.boolean(),
    nextRuns: z.array(z.string()),
  })
  .openapi('InsightScheduleView');

/** A person's own weekly-insight schedule: a Temporal Schedule in their zone (see temporal/schedules/person.ts). */
export function registerInsightScheduleRoutes(app: App, deps: ApiDeps): void {
  const profiles = createProfileRepository(deps.database.db);
  const security = [{ bearer: [] }];
  const tags = ['insights'];
  const path = '/v1/me/insights-schedule';
  const view = async (userId: string) => {
    const d = await describePersonSchedule(deps.temporal, userId);
    if (!d) throw notFound('insights_schedule');
    return { scheduleId: d.scheduleId, ...personScheduleOf(d) };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path,
      tags,
      summary: 'My weekly insight schedule and its next runs',
      security,
      responses: {
        200: { content: { 'application/json': { schema: ScheduleView } }, description: 'The schedule' },
        401: err('No or invalid token'),
        404: err('No schedule'),
      },
    }),
    async (c) => c.json(await view(caller(c).sub), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path,
      tags,
      summary: 'Create or change my weekly insight schedule (day, local time, time zone)',
      security,
      request: { body: { content: { 'application/json': { schema: InsightScheduleBody } }, required: true } },
      responses: {
        200: { content: { 'application/json': { schema: ScheduleView } }, description: 'Updated' },
        201: { content: { 'application/json': { schema: ScheduleView } }, description: 'Created' },
        401: err('No or invalid token'),
        422: err('Invalid day, time or time zone'),
        503: err('Temporal unavailable'),
      },
    }),
    async (c) => {
      const userId = caller(c).sub;
      const body = c.req.valid('json');
      let outcome: 'created' | 'updated';
      try {
        outcome = await upsertPersonSchedule(deps.temporal, userId, body);
      } catch (e) {
        deps.logger.warn({ err: String(e), userId }, 'insight schedule could not be saved');
        throw new AppError('unavailable', 'schedule_failed', 'The schedule could not be saved. Please retry.');
      }
      // The fan-out computes this person's weeks in the same zone as their own schedule does.
      await profiles.setTimezone(userId, body.timezone);
      return c.json(await view(userId), outcome === 'created' ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path,
      tags,
      summary: 'Remove my weekly insight schedule',
      security,
      responses: { 204: { description: 'Removed' }, 401: err('No or invalid token'), 404: err('No schedule') },
    }),
    async (c) => {
      const userId = caller(c).sub;
      if (!(await deletePersonSchedule(deps.temporal, userId))) throw notFound('insights_schedule');
      await profiles.setTimezone(userId, null);
      return c.body(null, 204);
    },
  );
}
