import { createRoute } from '@hono/zod-openapi';
import { roleFirst } from '../../auth';
import { bearer, err, jsonContent } from '../../schemas/common';
import { RetrainingList, RetrainingParam, RetrainingSchema } from '../../schemas/model-retrainings';

const tags = ['model-retraining'];
// Admin only, checked before the id is read (a user or staff member gets 403).
const middleware = [roleFirst(['admin'])];
const denied = { 401: err('No or invalid token'), 403: err('Not an admin') };

export const startRetraining = createRoute({
  method: 'post',
  path: '/v1/admin/model-retrainings',
  tags,
  summary: 'Start a model retraining (admin): snapshot, train, evaluate, gate, approval, canary',
  security: bearer,
  middleware,
  responses: {
    202: jsonContent(RetrainingSchema, 'Started'),
    ...denied,
    409: err('Another retraining is still unfinished'),
    503: err('Database or Temporal unavailable'),
  },
});

export const listRetrainings = createRoute({
  method: 'get',
  path: '/v1/admin/model-retrainings',
  tags,
  summary: 'Recent retrainings and the model versions in use (admin)',
  security: bearer,
  middleware,
  responses: { 200: jsonContent(RetrainingList, 'Newest first'), ...denied, 503: err('Database unavailable') },
});

export const getRetraining = createRoute({
  method: 'get',
  path: '/v1/admin/model-retrainings/{id}',
  tags,
  summary: "A retraining's status, evaluation report and recorded steps (admin)",
  security: bearer,
  middleware,
  request: { params: RetrainingParam },
  responses: {
    200: jsonContent(RetrainingSchema, 'The run'),
    ...denied,
    404: err('No such retraining'),
    503: err('Database unavailable'),
  },
});

const decision = (verb: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/v1/admin/model-retrainings/{id}/${verb}`,
    tags,
    summary: `${verb === 'approve' ? 'Approve' : 'Reject'} the candidate of a run awaiting approval (admin)`,
    security: bearer,
    middleware,
    request: { params: RetrainingParam },
    responses: {
      200: jsonContent(RetrainingSchema, 'Decided'),
      ...denied,
      404: err('No such retraining'),
      409: err('The run is not awaiting approval'),
      503: err('Database or Temporal unavailable'),
    },
  });

export const approveRetraining = decision('approve');
export const rejectRetraining = decision('reject');
