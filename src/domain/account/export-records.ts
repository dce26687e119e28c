/**
 * What each kind of a person's data looks like inside their export archive (docs/account-lifecycle.md,
 * Export). Pure: rows come in as plain objects, JSON-ready records go out. Internal bookkeeping (workflow ids,
 * step progress, storage keys) stays out; everything that is the person's own, and what the service concluded
 * about it, goes in.
 */

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const PHOTO_EXTENSIONS = /\.(jpg|png|webp)$/;

/** The archive path of a meal's photo: by meal, so two meals with the same photo each have theirs. */
export function photoEntryName(mealId: string, imageKey: string): string {
  const ext = PHOTO_EXTENSIONS.exec(imageKey)?.[1] ?? 'bin';
  return `photos/${mealId}.${ext}`;
}

export const chartEntryName = (weekStart: string) => `charts/week-${weekStart}.svg`;

export interface MealRowLike {
  id: string;
  description: string | null;
  eatenAt: Date;
  mealType: string;
  imageKey: string | null;
  imageDeletedAt: Date | null;
  batchId: string | null;
  createdAt: Date;
  outcome: string | null;
  outcomeReason: string | null;
  closedAt: Date | null;
}

export interface AnalysisRowLike {
  items: unknown;
  totals: unknown;
  feedback: unknown;
  warnings: unknown;
  confidence: number;
  foodTableVersion: string;
  analyzedAt: Date;
}

export function mealRecord(meal: MealRowLike, analysis: AnalysisRowLike | null) {
  return {
    id: meal.id,
    eatenAt: iso(meal.eatenAt),
    mealType: meal.mealType,
    description: meal.description,
    photo:
      meal.imageKey && !meal.imageDeletedAt
        ? photoEntryName(meal.id, meal.imageKey)
        : meal.imageDeletedAt
          ? `deleted by retention on ${iso(meal.imageDeletedAt)}`
          : null,
    batchId: meal.batchId,
    createdAt: iso(meal.createdAt),
    status: meal.outcome ?? 'open',
    statusReason: meal.outcomeReason,
    closedAt: iso(meal.closedAt),
    analysis: analysis
      ? {
          items: analysis.items,
          totals: analysis.totals,
          feedback: analysis.feedback,
          warnings: analysis.warnings,
          confidence: analysis.confidence,
          foodTableVersion: analysis.foodTableVersion,
          analyzedAt: iso(analysis.analyzedAt),
        }
      : null,
  };
}

export interface JournalRowLike {
  id: string;
  createdAt: Date;
  mood: number | null;
  locale: string;
  textDeletedAt: Date | null;
  screening: unknown;
  screenedAt: Date | null;
}

/**
 * A journal entry with its text decrypted (null once retention deleted it). Of the screening, the person gets
 * the outcome (tier) and which screener version produced it; rule ids and model scores are the screener's
 * internals and stay with the service.
 */
export function journalRecord(entry: JournalRowLike, text: string | null) {
  const screening = entry.screening as { tier?: string; screenerVersion?: string; ruleVersion?: string } | null;
  return {
    id: entry.id,
    createdAt: iso(entry.createdAt),
    mood: entry.mood,
    locale: entry.locale,
    text,
    textDeletedAt: iso(entry.textDeletedAt),
    screening: screening
      ? {
          tier: screening.tier ?? null,
          screenerVersion: screening.screenerVersion ?? screening.ruleVersion ?? null,
          screenedAt: iso(entry.screenedAt),
        }
      : null,
  };
}

export interface CrisisCaseRowLike {
  id: string;
  status: string;
  tier: string;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  outcome: string | null;
  closedAt: Date | null;
}

/**
 * A crisis case about the person: when it opened, its tier and how it ended. Staff identities, escalation
 * recipients and staff notes are the clinical team's record, not the person's data, and stay out.
 */
export function crisisCaseRecord(c: CrisisCaseRowLike) {
  return {
    id: c.id,
    status: c.status,
    tier: c.tier,
    openedAt: iso(c.openedAt),
    acknowledgedAt: iso(c.acknowledgedAt),
    resolvedAt: iso(c.resolvedAt),
    outcome: c.outcome,
    closedAt: iso(c.closedAt),
  };
}

/** Drops the internal fields of a row (workflow ids and the like) and turns dates into ISO strings. */
export function plainRecord(row: Record<string, unknown>, omit: readonly string[] = ['workflowId']) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (omit.includes(k)) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/**
 * One element of a JSON array written piece by piece: the opening bracket comes with the first element, a
 * separator before every later one; `jsonArrayEnd` closes it (an empty array when nothing was written).
 */
export function jsonArrayPiece(record: unknown, index: number): string {
  return `${index === 0 ? '[\n' : ',\n'}${JSON.stringify(record)}`;
}
export const jsonArrayEnd = (written: number) => (written === 0 ? '[]\n' : '\n]\n');
