import { createRoute } from '@hono/zod-openapi';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { InsightScheduleBody, InsightScheduleView } from '../../schemas/insights';

/** A person's own weekly-insight schedule: a Temporal Schedule in their zone (see temporal/schedules/person.ts). */
const tags = ['insights'];
const path = '/v1/me/insights-schedule';

export const getSchedule = createRoute({
  method: 'get',
  path,
  tags,
  summary: 'My weekly insight schedule and its next runs',
  security: bearer,
  responses: {
    200: jsonContent(InsightScheduleView, 'The schedule'),
    401: err('No or invalid token'),
    404: err('No schedule'),
  },
});

export const putSchedule = createRoute({
  method: 'put',
  path,
  tags,
  summary: 'Create or change my weekly insight schedule (day, local time, time zone)',
  security: bearer,
  request: jsonBody(InsightScheduleBody),
  responses: {
    200: jsonContent(InsightScheduleView, 'Updated'),
    201: jsonContent(InsightScheduleView, 'Created'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    422: err('Invalid day, time or time zone'),
    503: err('Temporal unavailable'),
  },
});

export const deleteSchedule = createRoute({
  method: 'delete',
  path,
  tags,
  summary: 'Remove my weekly insight schedule',
  security: bearer,
  responses: { 204: { description: 'Removed' }, 401: err('No or invalid token'), 404: err('No schedule') },
});
