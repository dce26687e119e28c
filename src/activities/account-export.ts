import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImageStore } from '../adapters/images/store';
import type { AccountExportInput } from '../contracts/account-export';
import type { PersonCipher } from '../crypto/person-cipher';
import { UnreadableTextError } from '../crypto/unreadable-text';
import type { AccountExportReads } from '../db/repositories/account-export-reads';
import type { AccountExportRepository } from '../db/repositories/account-exports';
import {
  EXPORT_RETENTION_MS,
  exportArchiveName,
  exportStagingName,
  exportTempArchiveName,
} from '../domain/account/export-files';
import {
  chartEntryName,
  crisisCaseRecord,
  journalRecord,
  mealRecord,
  photoEntryName,
  plainRecord,
} from '../domain/account/export-records';
import {
  EXPORT_JSON_FILES,
  EXPORT_JSON_KINDS,
  type ExportCounts,
  exportReadme,
  exportSummaryJson,
} from '../domain/account/export-readme';
import { renderWeeklyChartSvg, type WeeklyInsight } from '../domain/insights';
import type { Logger } from '../logger';
import { allPages, beat, createArchiveWriter, stageJsonArray, stageText } from './account-export-archive';

export interface AccountExportActivityDeps {
  exports: AccountExportRepository;
  reads: AccountExportReads;
  images: ImageStore;
  cipher: PersonCipher;
  logger: Logger;
}

/** Rows per keyset page: one page is all an export step holds in memory (500 meals with analyses: ~1 MB). */
export const EXPORT_PAGE = 500;

/**
 * The steps of an account export (src/workflows/account-export.ts). Each stage step writes whole files into
 * the export's staging folder (a retry rewrites them); pack streams them and the photos into the archive. Logs
 * carry ids and counts only: never a description, a food name or journal text.
 */
export function createAccountExportActivities(deps: AccountExportActivityDeps) {
  const { exports, reads, images, cipher, logger } = deps;
  const staging = (exportId: string) => path.join(exports.exportsDir, exportStagingName(exportId));
  const staged = (exportId: string, kind: keyof typeof EXPORT_JSON_FILES) =>
    path.join(staging(exportId), EXPORT_JSON_FILES[kind].file);

  return {
    async stageExportProfile(input: AccountExportInput): Promise<ExportCounts> {
      const profile = await reads.profile(input.userId);
      const record = profile ? plainRecord(profile, ['userId']) : null;
      await stageText(staged(input.exportId, 'profile'), `${JSON.stringify(record, null, 2)}\n`);
      const cases = (await reads.crisisCases(input.userId)).map(crisisCaseRecord);
      const crisisCases = await stageJsonArray(staged(input.exportId, 'crisisCases'), [cases], 'crisisCases');
      return { profile: profile ? 1 : 0, crisisCases };
    },

    async stageExportMeals(input: AccountExportInput): Promise<ExportCounts> {
      const pages = allPages((c: Parameters<typeof reads.meals>[1]) => reads.meals(input.userId, c, EXPORT_PAGE));
      const meals = await stageJsonArray(
        staged(input.exportId, 'meals'),
        mapPages(pages, (r) => mealRecord(r.meal, r.analysis)),
        'meals',
      );
      return { meals };
    },

    /** Decrypts each entry's text here, in the step: the text goes to the staging file, never to the history. */
    async stageExportJournal(input: AccountExportInput): Promise<ExportCounts> {
      let unreadable = 0;
      const pages = allPages((c: Parameters<typeof reads.journalEntries>[1]) =>
        reads.journalEntries(input.userId, c, EXPORT_PAGE),
      );
      const journal = await stageJsonArray(
        staged(input.exportId, 'journal'),
        mapPages(pages, async ({ row }) => {
          let text: string | null = null;
          if (row.textEncrypted !== null) {
            try {
              text = await cipher.decrypt(input.userId, row.textEncrypted, row.id);
            } catch (err) {
              // A deployment key no longer configured or a destroyed data key: exported without its text, counted.
              if (!(err instanceof UnreadableTextError)) throw err;
              unreadable++;
            }
          }
          return journalRecord(row, text);
        }),
        'journal',
      );
      if (unreadable) logger.warn({ exportId: input.exportId, unreadable }, 'export: journal texts not decryptable');
      return { journal };
    },

    async stageExportInsights(input: AccountExportInput): Promise<ExportCounts> {
      let charts = 0;
      const pages = allPages((c: string | undefined) => reads.insights(input.userId, c, EXPORT_PAGE));
      const insights = await stageJsonArray(
        staged(input.exportId, 'insights'),
        mapPages(pages, async (row) => {
          await stageText(
            path.join(staging(input.exportId), chartEntryName(row.weekStart)),
            renderWeeklyChartSvg(row.insight as WeeklyInsight),
          );
          charts++;
          return plainRecord(row, ['userId']);
        }),
        'insights',
      );
      return { insights, charts };
    },

    async stageExportRoutines(input: AccountExportInput): Promise<ExportCounts> {
      const { userId, exportId } = input;
      type C = Parameters<typeof reads.tasks>[1];
      const plain = ({ row }: { row: Record<string, unknown> }) => plainRecord(row, ['userId']);
      const tasks = await stageJsonArray(
        staged(exportId, 'tasks'),
        mapPages(
          allPages((c: C) => reads.tasks(userId, c, EXPORT_PAGE)),
          plain,
        ),
        'tasks',
      );
      const taskExecutions = await stageJsonArray(
        staged(exportId, 'taskExecutions'),
        mapPages(
          allPages((c: C) => reads.taskExecutions(userId, c, EXPORT_PAGE)),
          plain,
        ),
        'taskExecutions',
      );
      const inbox = await stageJsonArray(
        staged(exportId, 'inbox'),
        mapPages(
          allPages((c: C) => reads.inbox(userId, c, EXPORT_PAGE)),
          plain,
        ),
        'inbox',
      );
      return { tasks, taskExecutions, inbox };
    },

    /**
     * README, summary, staged JSON, charts, then every photo, streamed into `.tmp-<id>.tar.gz` and renamed to
     * `<id>.tar.gz` once complete. A retry starts the archive over, from the staging folder, which is why the
     * folder stays until finish: a worker killed after the rename but before its result reached Temporal leaves
     * a retry that must still find every staged file.
     */
    async packExportArchive(
      input: AccountExportInput & { counts: ExportCounts },
    ): Promise<{ sizeBytes: number; counts: ExportCounts }> {
      const { exportId, userId } = input;
      const row = await exports.get(exportId);
      if (!row) throw new Error(`export ${exportId} has no row`);
      const dir = staging(exportId);
      const temp = path.join(exports.exportsDir, exportTempArchiveName(exportId));
      const counts: ExportCounts = { ...input.counts, photos: await reads.countPhotos(userId) };
      const summary = { exportId, userId, createdAt: row.createdAt.toISOString(), counts };
      const archive = createArchiveWriter(temp, row.createdAt);
      let photos = 0;
      let missing = 0;
      try {
        await archive.addBytes('README.md', Buffer.from(exportReadme(summary)));
        for (const kind of EXPORT_JSON_KINDS) {
          await archive.addFile(EXPORT_JSON_FILES[kind].file, staged(exportId, kind));
          beat({ packed: kind });
        }
        const chartDir = path.join(dir, 'charts');
        const chartFiles = await fs.readdir(chartDir).catch(() => [] as string[]);
        for (const f of chartFiles.filter((n) => n.endsWith('.svg')).sort())
          await archive.addFile(`charts/${f}`, path.join(chartDir, f));
        for await (const page of allPages((c: Parameters<typeof reads.mealPhotos>[1]) =>
          reads.mealPhotos(userId, c, EXPORT_PAGE),
        )) {
          for (const meal of page) {
            const bytes = await images.get(meal.imageKey!).catch(() => undefined);
            if (!bytes) {
              missing++; // gone from the store (or corrupt): the meal says so in meals.json's photo field
              continue;
            }
            await archive.addBytes(photoEntryName(meal.id, meal.imageKey!), bytes);
            photos++;
            beat({ photos });
          }
        }
        // Counted as they went in; the README's figure was read before (a photo deleted meanwhile differs).
        counts.photos = photos;
        await archive.addBytes('export.json', Buffer.from(exportSummaryJson(summary)));
        const sizeBytes = await archive.close();
        await fs.rename(temp, path.join(exports.exportsDir, exportArchiveName(exportId)));
        logger.info({ exportId, sizeBytes, photos, missing }, 'export archive written');
        return { sizeBytes, counts: { photos } };
      } catch (err) {
        archive.destroy();
        await fs.rm(temp, { force: true });
        throw err;
      }
    },

    /**
     * Marks the export completed (it expires, and the cleanup job deletes it, 24 h from now), then removes the
     * staging folder, which pack needed until now. A retry finds the row completed and removes nothing new.
     */
    async finishExport(
      input: AccountExportInput & { counts: ExportCounts; sizeBytes: number },
    ): Promise<{ expiresAt: string }> {
      const row = await exports.complete(input.exportId, {
        fileName: exportArchiveName(input.exportId),
        sizeBytes: input.sizeBytes,
        counts: input.counts as Record<string, number>,
        expiresAt: new Date(Date.now() + EXPORT_RETENTION_MS),
      });
      if (!row?.expiresAt) throw new Error(`export ${input.exportId} is not running`);
      await fs.rm(staging(input.exportId), { recursive: true, force: true });
      logger.info({ exportId: input.exportId, userId: input.userId }, 'export ready');
      return { expiresAt: row.expiresAt.toISOString() };
    },

    async abandonExport(input: AccountExportInput): Promise<void> {
      await exports.fail(input.exportId);
      await exports.removeFiles(input.exportId);
      logger.info({ exportId: input.exportId, userId: input.userId }, 'export abandoned');
    },
  };
}

export type AccountExportActivities = ReturnType<typeof createAccountExportActivities>;

async function* mapPages<Row, Out>(
  pages: AsyncIterable<Row[]>,
  fn: (row: Row) => Out | Promise<Out>,
): AsyncGenerator<Out[]> {
  for await (const rows of pages) {
    const out: Out[] = [];
    for (const r of rows) out.push(await fn(r));
    yield out;
  }
}
