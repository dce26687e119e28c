import { createRoute, z } from '@hono/zod-openapi';
import { bearer, err, jsonContent } from '../../schemas/common';
import { DownloadQuery, ExportParam, ExportStarted, ExportView } from '../../schemas/account-export';

const tags = ['account'];

export const startExport = createRoute({
  method: 'post',
  path: '/v1/me/export',
  tags,
  summary: 'Export all my data as one .tar.gz (one export runs at a time: a second request returns it)',
  description:
    'Starts an accountExport run; follow it at /v1/workflows/{workflowId}/events, then GET /v1/me/export/{exportId} for a one-time download link. The archive is deleted 24 h after it is ready.',
  security: bearer,
  responses: {
    202: jsonContent(ExportStarted, 'Started, or the export already running'),
    401: err('No or invalid token'),
    409: err('The running export is finishing at this moment: retry'),
    503: err('Database or Temporal unavailable'),
  },
});

export const getExport = createRoute({
  method: 'get',
  path: '/v1/me/export/{exportId}',
  tags,
  summary: 'My export: its status and, once ready, a one-time download link valid for 15 minutes',
  security: bearer,
  request: { params: ExportParam },
  responses: {
    200: jsonContent(ExportView, 'The export'),
    401: err('No or invalid token'),
    404: err('No such export of mine'),
    422: err('Invalid export id'),
  },
});

export const downloadExport = createRoute({
  method: 'get',
  path: '/downloads/exports/{exportId}',
  tags,
  summary: 'Download an export archive with a one-time link (the token is the credential; it is used up)',
  request: { params: ExportParam, query: DownloadQuery },
  responses: {
    200: {
      content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
      description: 'The archive',
    },
    404: err('No such link'),
    410: err('The link was already used or has expired, or the archive was deleted'),
    422: err('Malformed id or token'),
  },
});
