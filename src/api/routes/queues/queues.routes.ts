import { createRoute } from '@hono/zod-openapi';
import { roleFirst, STAFF_ROLES } from '../../auth';
import { bearer, err, jsonContent } from '../../schemas/common';
import { QueueList } from '../../schemas/workflows';

export const listQueues = createRoute({
  method: 'get',
  path: '/v1/queues',
  tags: ['operations'],
  summary: 'Task queues: pollers and backlog per queue (staff/admin)',
  description:
    "From Temporal's task-queue description. Backlog counts are Temporal's approximations (they lag by a few seconds).",
  security: bearer,
  middleware: [roleFirst(STAFF_ROLES)],
  responses: {
    200: jsonContent(QueueList, 'Queues'),
    401: err('No or invalid token'),
    403: err('Not staff'),
  },
});
