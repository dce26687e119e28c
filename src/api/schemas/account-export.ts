import { z } from '@hono/zod-openapi';
import { EXPORT_STATUSES } from '../../domain/account/export-files';

export const ExportParam = z.object({
  exportId: z.uuid().openapi({ param: { name: 'exportId', in: 'path' } }),
});

export const DownloadQuery = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .openapi({ param: { name: 'token', in: 'query' }, description: 'The one-time token of the link' }),
});

export const ExportStarted = z
  .object({
    exportId: z.uuid(),
    workflowId: z.string(),
    status: z.literal('running'),
    /** True when an export of this person was already running: this is that one. */
    alreadyRunning: z.boolean(),
  })
  .openapi('AccountExportStarted');

export const ExportView = z
  .object({
    exportId: z.uuid(),
    workflowId: z.string(),
    status: z.enum([...EXPORT_STATUSES, 'expired']),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    counts: z.record(z.string(), z.number()).nullable(),
    downloadedAt: z.string().nullable(),
    /** Only while the archive is ready: a new one-time download link each time, which replaces the previous one. */
    url: z.string().nullable(),
    /** When `url` stops working (15 minutes). */
    urlExpiresAt: z.string().nullable(),
  })
  .openapi('AccountExport');
