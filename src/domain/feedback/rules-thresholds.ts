import type { GuidelineProfileId } from './types';

// The numbers in the rules that are design choices of ours, not guideline values (those come from the
// selected guideline profile).

/** The profiles a rule that applies everywhere lists in `appliesTo`. */
export const ALL: readonly GuidelineProfileId[] = ['who', 'us-dga', 'uk-fop'];

/**
 * "Well above the meal's share" means more than 1.5x the usual share. Our choice, not a guideline: meal
 * estimates are rough, so only a clear difference is worth a remark.
 */
export const ENERGY_ABOVE_SHARE_FACTOR = 1.5;
/** Below this, an estimate is called approximate (a fuzzy match with a guessed amount scores 0.6). Our choice. */
export const LOW_CONFIDENCE_THRESHOLD = 0.6;
/** Fibre advice on a drink or a bite (< 100 kcal) is not useful, so the low-fibre rule skips them. Our choice. */
export const MIN_KCAL_FOR_LOW_FIBER_ADVICE = 100;
