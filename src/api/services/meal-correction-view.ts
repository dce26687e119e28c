import type { MealCorrectionRow, ReplacedAnalysis } from '../../db/repositories/meal-corrections';

/**
 * What GET /v1/meals/{id} shows of a meal's corrections: the original analysis (what revision 1 replaced, kept
 * as it was) and the latest correction with who made it and when. The meal's own items, totals and feedback
 * are the current analysis: the latest applied correction, else the original.
 */
export interface CorrectionViews {
  original?: { items: unknown[]; totals: unknown; feedback: unknown[]; confidence: number; analyzedAt: string };
  correction?: {
    correctionId: string;
    revision: number;
    status: string;
    correctedBy: string;
    requestedAt: string;
    correctedAt: string | null;
    workflowId: string;
    error?: string;
  };
}

export function correctionView(rows: readonly MealCorrectionRow[]): CorrectionViews {
  const latest = rows[rows.length - 1];
  if (!latest) return {};
  const first = rows.find((r) => r.replaced);
  const original = first?.replaced as ReplacedAnalysis | undefined;
  return {
    ...(original
      ? {
          original: {
            items: original.items as unknown[],
            totals: original.totals,
            feedback: original.feedback as unknown[],
            confidence: original.confidence,
            analyzedAt: original.analyzedAt,
          },
        }
      : {}),
    correction: {
      correctionId: latest.id,
      revision: latest.revision,
      status: latest.status,
      correctedBy: latest.correctedBy,
      requestedAt: latest.requestedAt.toISOString(),
      correctedAt: latest.correctedAt?.toISOString() ?? null,
      workflowId: latest.workflowId,
      ...(latest.failureReason ? { error: latest.failureReason } : {}),
    },
  };
}
