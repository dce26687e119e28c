import { createRoute } from '@hono/zod-openapi';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { ProfileBody, ProfileView } from '../../schemas/profile';

const tags = ['profile'];
const path = '/v1/me/profile';
const ok = jsonContent(ProfileView, 'The profile and the daily targets it gives');

export const getProfile = createRoute({
  method: 'get',
  path,
  tags,
  summary: 'My profile and daily targets (defaults without one)',
  security: bearer,
  responses: { 200: ok, 401: err('No or invalid token') },
});

export const putProfile = createRoute({
  method: 'put',
  path,
  tags,
  summary: 'Set my profile',
  security: bearer,
  request: jsonBody(ProfileBody),
  responses: { 200: ok, ...jsonBodyErrors, 401: err('No or invalid token'), 422: err('Invalid profile') },
});

export const deleteProfile = createRoute({
  method: 'delete',
  path,
  tags,
  summary: 'Delete my profile (back to defaults)',
  security: bearer,
  responses: { 204: { description: 'Deleted' }, 401: err('No or invalid token') },
});
