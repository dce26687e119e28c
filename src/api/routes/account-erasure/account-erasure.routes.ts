import { createRoute } from '@hono/zod-openapi';
import { roleFirst } from '../../auth';
import { EraseMeBody, ErasureReceiptView, ErasureStarted, UserParam } from '../../schemas/account-erasure';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';

const tags = ['account'];

export const eraseMe = createRoute({
  method: 'delete',
  path: '/v1/me',
  tags,
  summary: 'Erase my account and all my data (cannot be undone; send {"confirm": true})',
  description:
    'Marks the account erased at once (every later request with this token answers 410 account_erased) and starts the accountErasure run, which cancels running work, deletes schedules, rows and photos, and keeps crisis cases for the clinical record (docs/account-lifecycle.md).',
  security: bearer,
  request: jsonBody(EraseMeBody),
  responses: {
    202: jsonContent(ErasureStarted, 'Erasure started (or already asked for)'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    410: err('This account is already erased'),
    422: err('confirm must be true'),
    503: err('Database or Temporal unavailable'),
  },
});

const middleware = [roleFirst(['admin'])];

export const eraseUser = createRoute({
  method: 'post',
  path: '/v1/admin/users/{userId}/erase',
  tags,
  summary: "Erase a person's account and data (admin)",
  security: bearer,
  middleware,
  request: { params: UserParam },
  responses: {
    202: jsonContent(ErasureStarted, 'Erasure started (or already asked for)'),
    401: err('No or invalid token'),
    403: err('Not an admin'),
    422: err('Invalid user id'),
    503: err('Database or Temporal unavailable'),
  },
});

export const getErasure = createRoute({
  method: 'get',
  path: '/v1/admin/users/{userId}/erasure',
  tags,
  summary: "A person's erasure receipt (admin): phase times and counts per kind, no personal data",
  security: bearer,
  middleware,
  request: { params: UserParam },
  responses: {
    200: jsonContent(ErasureReceiptView, 'The receipt'),
    401: err('No or invalid token'),
    403: err('Not an admin'),
    404: err('No erasure was asked for this person'),
    422: err('Invalid user id'),
  },
});
