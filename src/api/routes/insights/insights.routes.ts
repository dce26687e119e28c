import { createRoute, z } from '@hono/zod-openapi';
import { bearer, err, jsonBodyErrors, jsonContent } from '../../schemas/common';
import { InsightParam, InsightStarted, InsightView, WeeklyInsightBody, WeekQuery } from '../../schemas/insights';

const tags = ['insights'];

export const computeWeek = createRoute({
  method: 'post',
  path: '/v1/insights/weekly',
  tags,
  summary: 'Compute my weekly insight now (default: the current week)',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: WeeklyInsightBody } }, required: false } },
  responses: {
    202: jsonContent(InsightStarted, 'Started'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    422: err('Invalid week or time zone'),
    503: err('Temporal unavailable'),
  },
});

export const getWeek = createRoute({
  method: 'get',
  path: '/v1/insights/weekly',
  tags,
  summary: 'My stored weekly insight for a week',
  security: bearer,
  request: { query: WeekQuery },
  responses: {
    200: jsonContent(InsightView, 'The insight'),
    401: err('No or invalid token'),
    404: err('No insight for that week yet'),
    422: err('Invalid week'),
  },
});

export const chart = createRoute({
  method: 'get',
  path: '/v1/insights/weekly/{insightId}/chart.svg',
  tags,
  summary: 'The week as an SVG chart: daily kcal against the target, and the macro split',
  security: bearer,
  request: { params: InsightParam },
  responses: {
    200: { content: { 'image/svg+xml': { schema: z.string() } }, description: 'SVG' },
    401: err('No or invalid token'),
    404: err('No such insight'),
  },
});
