/**
 * Names of an export's files inside the exports folder (<data dir>/exports). Ids are UUIDs the service made,
 * so a name can never hold a path separator. Pure: the folder itself is joined where the I/O happens.
 */

/** The finished archive. */
export const exportArchiveName = (exportId: string) => `${exportId}.tar.gz`;

/**
 * What an attempt writes before the archive is complete: the archive being written and the staging folder of
 * its JSON files. A dot prefix, so nothing half-written is ever mistaken for an archive; an attempt that died
 * leaves them, and the next attempt (or erasure, or the cleanup job) removes them.
 */
export const exportTempArchiveName = (exportId: string) => `.tmp-${exportId}.tar.gz`;
export const exportStagingName = (exportId: string) => `.tmp-${exportId}`;

/** Every name an export may have on disk, finished or not: what deleting it removes. */
export const exportFileNames = (exportId: string) => [
  exportArchiveName(exportId),
  exportTempArchiveName(exportId),
  exportStagingName(exportId),
];

/** The export's lifecycle as the row records it (the run's live progress is read from Temporal). */
export const EXPORT_STATUSES = ['running', 'completed', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** How long a finished archive stays downloadable before the cleanup job deletes it. */
export const EXPORT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** How long one download link works: long enough to click, short enough that a leaked link is soon useless. */
export const EXPORT_LINK_TTL_MS = 15 * 60 * 1000;
