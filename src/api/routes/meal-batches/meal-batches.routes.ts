import { createRoute } from '@hono/zod-openapi';
import { bearer, err, IdempotencyHeader, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { BatchAccepted, BatchBody, BatchParam, BatchSchema } from '../../schemas/meals';

const tags = ['meals'];

export const createBatch = createRoute({
  method: 'post',
  path: '/v1/meals/batch',
  tags,
  summary: 'Log up to 500 meals at once; each is analysed by its own child run',
  security: bearer,
  request: { headers: IdempotencyHeader, ...jsonBody(BatchBody) },
  responses: {
    202: jsonContent(BatchAccepted, 'Batch started'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    409: err('Idempotency-Key reused with another body'),
    413: err('Body too large'),
    422: err('Invalid batch (empty, over 500 items, or an invalid item)'),
    503: err('Temporal unavailable'),
  },
});

export const getBatch = createRoute({
  method: 'get',
  path: '/v1/meals/batch/{batchId}',
  tags,
  summary: 'Counts and per-item status of a batch',
  security: bearer,
  request: { params: BatchParam },
  responses: {
    200: jsonContent(BatchSchema, 'The batch'),
    401: err('No or invalid token'),
    404: err('No such batch for this user'),
  },
});
