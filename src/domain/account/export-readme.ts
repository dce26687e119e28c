/**
 * The files of an account export archive and the README that explains them (docs/account-lifecycle.md,
 * Export). One list, so the archive writer, the README and the tests agree on every name.
 */

export const EXPORT_FORMAT_VERSION = 1;

/** The JSON files, in the order the archive holds them, with what each one holds (the README's words). */
export const EXPORT_JSON_FILES = {
  profile: {
    file: 'profile.json',
    about:
      'Your profile for daily targets (sex, age, height, weight, activity, guideline profile, time zone), or null.',
  },
  meals: {
    file: 'meals.json',
    about:
      'Every meal you logged, oldest first: when, type, your description, its photo in photos/ (if any), its status, and the analysis (recognised items with grams, nutrient totals, feedback, warnings, confidence).',
  },
  journal: {
    file: 'journal-entries.json',
    about:
      'Your journal entries, oldest first, with their text decrypted (null where the retention period deleted it), mood, and the outcome of the safety screening (tier and screener version).',
  },
  insights: {
    file: 'insights.json',
    about: 'Your weekly insights: totals per day, averages against targets, trends and messages. Charts in charts/.',
  },
  tasks: { file: 'tasks.json', about: 'Your routines and to-dos with their settings, counters and streaks.' },
  taskExecutions: {
    file: 'task-executions.json',
    about: 'Every run of your routines: when it was due, what happened (done, skipped, missed...).',
  },
  inbox: { file: 'inbox.json', about: 'The reminders and milestone messages in your in-app inbox.' },
  crisisCases: {
    file: 'crisis-cases.json',
    about:
      'Support cases opened after a journal entry raised a safety concern: when, the tier and how each ended. Staff notes and staff identities belong to the care team’s record and are not included.',
  },
} as const;

export type ExportJsonKind = keyof typeof EXPORT_JSON_FILES;
export const EXPORT_JSON_KINDS = Object.keys(EXPORT_JSON_FILES) as ExportJsonKind[];

/** What the archive holds, counted: rows per JSON file, plus photos and charts. */
export type ExportCounts = Partial<Record<ExportJsonKind | 'photos' | 'charts', number>>;

export interface ExportSummary {
  exportId: string;
  userId: string;
  createdAt: string;
  counts: ExportCounts;
}

/** `export.json`: the machine-readable summary of the archive. */
export function exportSummaryJson(s: ExportSummary): string {
  return `${JSON.stringify({ formatVersion: EXPORT_FORMAT_VERSION, ...s }, null, 2)}\n`;
}

/** `README.md` at the top of the archive: what each file is, and how many records it holds. */
export function exportReadme(s: ExportSummary): string {
  const n = (k: keyof ExportCounts) => s.counts[k] ?? 0;
  const lines = [
    '# Your Wellflow data',
    '',
    `Export ${s.exportId} of account ${s.userId}, made ${s.createdAt}.`,
    'Every JSON file holds one array of records (profile.json one object), dates in ISO 8601 (UTC).',
    '',
    '| file | records | what it holds |',
    '| --- | --- | --- |',
    ...EXPORT_JSON_KINDS.map((k) => `| ${EXPORT_JSON_FILES[k].file} | ${n(k)} | ${EXPORT_JSON_FILES[k].about} |`),
    `| photos/<meal id>.<jpg,png,webp> | ${n('photos')} | The photos of your meals, as you uploaded them; meals.json names each meal’s photo. Photos deleted by the retention period are not here. |`,
    `| charts/week-<week start>.svg | ${n('charts')} | The chart of each weekly insight (daily energy against your target, macro split). |`,
    '| export.json | 1 | This summary as JSON: the export id, when it was made and the counts above. |',
    '',
    'This archive is deleted from our servers 24 hours after it was made. Keep it somewhere safe: it holds',
    'your journal in plain text.',
    '',
  ];
  return lines.join('\n');
}
