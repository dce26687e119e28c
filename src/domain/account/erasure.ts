/**
 * Account erasure vocabulary and pure decisions (docs/account-lifecycle.md, Erasure). No I/O: the activities
 * feed rows and keys in and act on what comes out.
 */

/** What asked for the erasure: the person (DELETE /v1/me), an admin, or the account service's user.deleted. */
export const ERASURE_TRIGGERS = ['api', 'admin', 'event'] as const;
export type ErasureTrigger = (typeof ERASURE_TRIGGERS)[number];

/**
 * Every kind the receipt counts, in the order the run deletes them. Counts are numbers only: the receipt
 * never says what was deleted, only how much of each kind.
 */
export const ERASURE_KINDS = [
  'runsCancelled',
  'schedules',
  'meals',
  'mealAnalyses',
  'mealCorrections',
  'photos',
  'photosShared',
  'mealBatches',
  'insights',
  'insightStaleMarks',
  'profile',
  'tasks',
  'taskExecutions',
  'inboxMessages',
  'subscriptions',
  'idempotencyRecords',
  'journalEntries',
  'dataDeletionRecords',
  'exports',
  'exportFiles',
  'journalDataKeys',
  'historiesDeleted',
] as const;
export type ErasureKind = (typeof ERASURE_KINDS)[number];
export type ErasureCounts = Partial<Record<ErasureKind, number>>;

/** Adds `more` into `into` (kinds absent from both stay absent; zero is kept when reported). */
export function addCounts(into: ErasureCounts, more: ErasureCounts): ErasureCounts {
  for (const [k, v] of Object.entries(more) as [ErasureKind, number][]) into[k] = (into[k] ?? 0) + v;
  return into;
}

/** Every kind with its count (0 where nothing of it was found), in the receipt's order. */
export function fullCounts(counts: ErasureCounts): Record<ErasureKind, number> {
  return Object.fromEntries(ERASURE_KINDS.map((k) => [k, counts[k] ?? 0])) as Record<ErasureKind, number>;
}

/**
 * Which photo files of a page of the person's meals go. Photos are stored by content hash, so one file can be
 * the photo of several meals, another person's included. A key another person's meal uses stays on disk
 * (counted once as shared); a key one of the person's own meals outside this page uses is left for that later
 * page (neither removed nor counted here). Duplicates within the page count once.
 */
export function photoPlan(
  pageKeys: readonly (string | null)[],
  uses: { others: ReadonlySet<string>; ownLater: ReadonlySet<string> },
): { remove: string[]; shared: string[] } {
  const keys = [...new Set(pageKeys.filter((k): k is string => k !== null))].filter((k) => !uses.ownLater.has(k));
  return { remove: keys.filter((k) => !uses.others.has(k)), shared: keys.filter((k) => uses.others.has(k)) };
}

/**
 * The open-crisis-case policy. A case is the service's clinical record of how staff responded to a risk
 * signal: it (with its audit timeline of who acted when) is kept for the clinical record period
 * (RETENTION_CRISIS_CASE_DAYS after it closed; then the retention job deletes it), while the journal entries
 * behind it are deleted with everything else (so no journal text remains). Staff are told the person asked to
 * be erased, so an open case is not silently left without a way to reach them. This is the timeline entry type
 * written on every retained case of an erased person.
 */
export const ERASURE_CASE_EVENT = 'erasure_requested';

/** How a receipt reads to an admin: phase times and counts, never any content. */
export interface ErasureReceipt {
  userId: string;
  workflowId: string;
  trigger: ErasureTrigger;
  status: 'erasing' | 'completed';
  requestedAt: string;
  runsClosedAt: string | null;
  completedAt: string | null;
  counts: Record<ErasureKind, number>;
  crisisCasesRetained: number;
}

export function receiptOf(row: {
  userId: string;
  workflowId: string;
  trigger: string;
  requestedAt: Date;
  runsClosedAt: Date | null;
  completedAt: Date | null;
  counts: Record<string, number>;
  crisisCasesRetained: number;
}): ErasureReceipt {
  return {
    userId: row.userId,
    workflowId: row.workflowId,
    trigger: (ERASURE_TRIGGERS as readonly string[]).includes(row.trigger) ? (row.trigger as ErasureTrigger) : 'api',
    status: row.completedAt ? 'completed' : 'erasing',
    requestedAt: row.requestedAt.toISOString(),
    runsClosedAt: row.runsClosedAt?.toISOString() ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
    counts: fullCounts(row.counts as ErasureCounts),
    crisisCasesRetained: row.crisisCasesRetained,
  };
}

/**
 * A run the erasure cancels: every run carrying the person's UserId except the erasure itself and the crisis
 * case (kept by the policy above; it is staff work about the person, and staff close it).
 */
export function shouldCancelRun(workflowType: string, keptTypes: readonly string[]): boolean {
  return !keptTypes.includes(workflowType);
}

/**
 * How long an API process may keep answering "not erased" for a person from its cache. Why 2 s: the check runs
 * on every /v1 request, so a per-request database read is avoided for active people, while a mark reaches every
 * API process within two seconds.
 */
export const ERASED_CHECK_CACHE_MS = 2_000;

/**
 * How long after the mark the erasure lists the person's runs one last time: the cache above plus a start's
 * whole Temporal budget (5 s, TEMPORAL_CALL_DEADLINE_MS) plus margin. A request that passed the check just
 * before the mark may still be starting a run this long after it; the last listing catches that run.
 */
export const ERASURE_SETTLE_MS = 10_000;

/**
 * A person's id inside a visibility query, single-quoted. Ids come from verified tokens, a validated path or a
 * validated event, but a quote or backslash would still change the query's meaning: refused, never escaped.
 */
export function visibilityLiteral(id: string): string {
  if (!/^[^'"\\\n\r]{1,200}$/.test(id)) throw new RangeError('id not usable in a visibility query');
  return `'${id}'`;
}
