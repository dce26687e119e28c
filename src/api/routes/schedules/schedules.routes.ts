import { createRoute } from '@hono/zod-openapi';
import { roleFirst } from '../../auth';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import {
  BackfillAccepted,
  BackfillBody,
  ScheduleIdParam,
  ScheduleList,
  ScheduleNoteBody,
  ScheduleSchema,
  Triggered,
} from '../../schemas/schedules';

/** Admin: the declared system schedules (list, describe, pause, unpause, trigger, backfill). */
const tags = ['schedules'];
// Admin only, checked before params and bodies: a user gets 403 whatever they send.
const middleware = [roleFirst(['admin'])];
const admin = { 401: err('No or invalid token'), 403: err('Not an admin') };
const one = { 200: jsonContent(ScheduleSchema, 'The schedule'), ...admin, 404: err('No such schedule') };

export const listSchedules = createRoute({
  method: 'get',
  path: '/v1/schedules',
  tags,
  summary: 'The declared system schedules with their state and next runs (admin)',
  security: bearer,
  middleware,
  responses: { 200: jsonContent(ScheduleList, 'Schedules'), ...admin },
});

export const getSchedule = createRoute({
  method: 'get',
  path: '/v1/schedules/{id}',
  tags,
  summary: 'One schedule: spec, policies, state, next runs and recent runs (admin)',
  security: bearer,
  middleware,
  request: { params: ScheduleIdParam },
  responses: one,
});

const pauseRoute = <A extends 'pause' | 'unpause'>(action: A) =>
  createRoute({
    method: 'post',
    path: `/v1/schedules/{id}/${action}`,
    tags,
    summary: `${action === 'pause' ? 'Pause' : 'Unpause'} a schedule (admin); the note is kept on the schedule`,
    security: bearer,
    middleware,
    request: { params: ScheduleIdParam, ...jsonBody(ScheduleNoteBody, false) },
    responses: { ...one, ...jsonBodyErrors, 422: err('Invalid note') },
  });

export const pauseSchedule = pauseRoute('pause');
export const unpauseSchedule = pauseRoute('unpause');

export const triggerSchedule = createRoute({
  method: 'post',
  path: '/v1/schedules/{id}/trigger',
  tags,
  summary: 'Run the schedule now (admin); 409 while a run is still going',
  security: bearer,
  middleware,
  request: { params: ScheduleIdParam },
  responses: {
    202: jsonContent(Triggered, 'Triggered'),
    ...admin,
    404: err('No such schedule'),
    409: err('A run of this schedule is still going'),
  },
});

export const backfillSchedule = createRoute({
  method: 'post',
  path: '/v1/schedules/{id}/backfill',
  tags,
  summary: 'Run every time the schedule would have fired in [start, end), one after another (admin)',
  security: bearer,
  middleware,
  request: { params: ScheduleIdParam, ...jsonBody(BackfillBody) },
  responses: {
    202: jsonContent(BackfillAccepted, 'Backfill accepted'),
    ...jsonBodyErrors,
    ...admin,
    404: err('No such schedule'),
    422: err('Invalid range'),
  },
});
