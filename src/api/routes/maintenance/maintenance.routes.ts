import { createRoute } from '@hono/zod-openapi';
import { roleFirst } from '../../auth';
import { MAINTENANCE_JOBS } from '../../../domain/maintenance/jobs';
import { bearer, err, jsonContent } from '../../schemas/common';
import { JobParam, MaintenanceStarted } from '../../schemas/schedules';

export const runJob = createRoute({
  method: 'post',
  path: '/v1/maintenance/{job}',
  tags: ['maintenance'],
  summary: `Run a maintenance job now (admin): ${MAINTENANCE_JOBS.join(', ')}`,
  security: bearer,
  // Admin only, checked before the job name is read.
  middleware: [roleFirst(['admin'])],
  request: { params: JobParam },
  responses: {
    202: jsonContent(MaintenanceStarted, 'Started (or the running one)'),
    401: err('No or invalid token'),
    403: err('Not an admin'),
    404: err('No such job'),
    503: err('Temporal unavailable'),
  },
});
