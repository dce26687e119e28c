import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import { accountExportWorkflowId } from '../../contracts/account-export';
import type { Database } from '../../db/client';
import {
  type AccountExportRow,
  createAccountExportRepository,
  exportsDirOf,
} from '../../db/repositories/account-exports';
import { EXPORT_LINK_TTL_MS } from '../../domain/account/export-files';
import type { Logger } from '../../logger';
import { startWorkflow, withTemporalDeadline } from '../../temporal/workflow-client';
import { accountExport } from '../../workflows/account-export';
import { AppError, notFound, outageError } from '../errors';

/** Download tokens are random (256 bits) and stored only as their SHA-256: the table never holds a usable link. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const gone = (code: string, message: string) => new AppError('not_found', code, message, null, 410);

/**
 * Account export (docs/account-lifecycle.md, Export): one running export per person (a second POST returns the
 * running one), its status and one-time download links, and the download itself.
 */
export function createAccountExportService(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  config: Config;
}) {
  const exports = createAccountExportRepository(deps.database.db, exportsDirOf(deps.config.dataDir));

  /** A row says running but its run is closed (terminated by an operator, say): the row is failed now. */
  async function runIsOpen(row: AccountExportRow): Promise<boolean> {
    const desc = await withTemporalDeadline(deps.temporal, () =>
      deps.temporal.workflow.getHandle(row.workflowId).describe(),
    ).catch((err: unknown) => {
      if ((err as { name?: string }).name === 'WorkflowNotFoundError') return undefined;
      throw err;
    });
    return desc?.status.name === 'RUNNING';
  }

  async function start(userId: string) {
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const exportId = randomUUID();
        const claim = await exports.claim({ id: exportId, userId, workflowId: accountExportWorkflowId(exportId) });
        if (!claim) continue; // the running one finished just now: claim again
        const { row } = claim;
        if (!claim.created) {
          if (await runIsOpen(row)) return view(row.id, row.workflowId, true);
          await exports.fail(row.id);
          continue;
        }
        try {
          await startWorkflow(deps.temporal, accountExport, { exportId, userId });
        } catch (err) {
          await exports.unclaim(exportId); // nothing runs for it: the person can ask again
          throw err;
        }
        deps.logger.info({ exportId, userId }, 'account export started');
        return view(exportId, row.workflowId, false);
      }
      throw new AppError('conflict', 'export_busy', 'An export is finishing right now. Please retry.');
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw (
        outageError(err) ??
        new AppError('unavailable', 'workflow_start_failed', 'The export could not be started. Please retry.')
      );
    }
  }

  const view = (exportId: string, workflowId: string, alreadyRunning: boolean) => ({
    exportId,
    workflowId,
    status: 'running' as const,
    alreadyRunning,
  });

  /** The export's state; while its archive is ready, a fresh one-time link (replacing any earlier one). */
  async function get(userId: string, exportId: string) {
    const row = await exports.get(exportId);
    if (!row || row.userId !== userId) throw notFound('export', exportId);
    let download: { url: string; expiresAt: string } | null = null;
    const token = randomBytes(32).toString('base64url');
    const tokenExpiresAt = new Date(Date.now() + EXPORT_LINK_TTL_MS);
    if (row.status === 'completed' && (await exports.issueToken(exportId, userId, hashToken(token), tokenExpiresAt)))
      download = {
        url: `${deps.config.publicUrl}/downloads/exports/${exportId}?token=${token}`,
        expiresAt: tokenExpiresAt.toISOString(),
      };
    const expired = row.status === 'completed' && !download;
    return {
      exportId,
      workflowId: row.workflowId,
      status: expired ? ('expired' as const) : (row.status as 'running' | 'completed' | 'failed'),
      createdAt: row.createdAt.toISOString(),
      completedAt: row.completedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      sizeBytes: row.sizeBytes,
      counts: (row.counts as Record<string, number> | null) ?? null,
      downloadedAt: row.downloadedAt?.toISOString() ?? null,
      url: download?.url ?? null,
      urlExpiresAt: download?.expiresAt ?? null,
    };
  }

  /**
   * Uses the link up and opens the archive: 404 for a token that never existed (or another export's), 410 for
   * one already used or expired, or an archive already deleted.
   */
  async function download(exportId: string, token: string) {
    const used = await exports.useToken(exportId, hashToken(token));
    if (!used.row) {
      if (used.found)
        throw gone('export_link_gone', 'This download link was already used or has expired. Ask for a new one.');
      throw notFound('export_link');
    }
    const file = path.join(exports.exportsDir, used.row.fileName ?? '');
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!used.row.fileName || !stat) throw gone('export_gone', 'This export has been deleted.');
    deps.logger.info({ exportId, userId: used.row.userId }, 'account export downloaded');
    return { stream: fs.createReadStream(file), size: stat.size, fileName: `wellflow-export-${exportId}.tar.gz` };
  }

  return { start, get, download };
}

export type AccountExportService = ReturnType<typeof createAccountExportService>;
