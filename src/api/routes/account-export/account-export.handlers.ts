import { Readable } from 'node:stream';
import { caller } from '../../auth';
import type { AccountExportService } from '../../services/account-export.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './account-export.routes';

export function accountExportHandlers(exports: AccountExportService) {
  const start: AppRouteHandler<typeof routes.startExport> = async (c) =>
    c.json(await exports.start(caller(c).sub), 202);

  const get: AppRouteHandler<typeof routes.getExport> = async (c) =>
    c.json(await exports.get(caller(c).sub, c.req.valid('param').exportId), 200);

  const download: AppRouteHandler<typeof routes.downloadExport> = async (c) => {
    const file = await exports.download(c.req.valid('param').exportId, c.req.valid('query').token);
    // Streamed from disk: the archive is never read into memory.
    return c.body(Readable.toWeb(file.stream) as ReadableStream, 200, {
      'Content-Type': 'application/gzip',
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    }) as never;
  };

  return { start, get, download };
}
