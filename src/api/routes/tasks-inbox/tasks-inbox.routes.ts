import { createRoute, z } from '@hono/zod-openapi';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { InboxPage, InboxQuery, MarkReadBody } from '../../schemas/tasks';

/** The person's in-app inbox: task reminders and streak milestones (docs/routines.md). */
const tags = ['routines'];

export const listInbox = createRoute({
  method: 'get',
  path: '/v1/me/inbox',
  tags,
  summary: 'My inbox, newest first, with the unread count',
  security: bearer,
  request: { query: InboxQuery },
  responses: {
    200: jsonContent(InboxPage, 'A page of messages'),
    401: err('No or invalid token'),
    422: err('Invalid parameters'),
  },
});

export const markRead = createRoute({
  method: 'post',
  path: '/v1/me/inbox/read',
  tags,
  summary: 'Mark messages read (the given ids, or all)',
  security: bearer,
  // Optional: without a body every unread message is marked read.
  request: jsonBody(MarkReadBody, false),
  responses: {
    200: jsonContent(z.object({ marked: z.number(), unreadCount: z.number() }), 'Marked'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    422: err('Invalid body'),
  },
});
