import { createRoute } from '@hono/zod-openapi';
import { bearer, err, IdempotencyHeader, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { EntryAccepted, EntryBody, EntryParam, EntryView } from '../../schemas/journal';

const tags = ['journal'];

export const writeEntry = createRoute({
  method: 'post',
  path: '/v1/journal-entries',
  tags,
  summary: 'Write a journal entry; it is screened for risk and flagged entries reach trained staff',
  security: bearer,
  request: { headers: IdempotencyHeader, ...jsonBody(EntryBody) },
  responses: {
    202: jsonContent(EntryAccepted, 'Stored; screening started'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    409: err('Idempotency-Key reused with another body'),
    422: err('Invalid entry'),
    503: err('Temporal unavailable'),
  },
});

export const getEntry = createRoute({
  method: 'get',
  path: '/v1/journal-entries/{entryId}',
  tags,
  summary: 'An entry with its screening status (the text for its author only)',
  security: bearer,
  request: { params: EntryParam },
  responses: {
    200: jsonContent(EntryView, 'The entry'),
    401: err('No or invalid token'),
    404: err('No such entry for this caller'),
  },
});
