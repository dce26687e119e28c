import type { MealType } from './types';

/**
 * Wording helpers and the list of phrases feedback must never use. The rules in the domain notes: no weight
 * or body-image talk, no moralising about food, never a nudge to eat less when intake is already low.
 * Tests sweep many inputs and check every generated message against this list.
 */

/** Matched case-insensitively on word boundaries. */
export const BANNED_PHRASES: readonly string[] = Object.freeze([
  // moralising about food or the person
  'bad',
  'junk',
  'guilt',
  'guilty',
  'guilt-free',
  'cheat',
  'cheating',
  'cheat meal',
  'sin',
  'sinful',
  'naughty',
  'toxic',
  'clean eating',
  'forbidden',
  'indulge',
  'indulgent',
  'earn',
  'earned',
  'deserve',
  'ruin',
  'ruined',
  'failed',
  'willpower',
  // weight and body image
  'weight loss',
  'lose weight',
  'losing weight',
  'overweight',
  'obese',
  'obesity',
  'skinny',
  'slim',
  'thin',
  'bmi',
  'body fat',
  'fat loss',
  'burn off',
  'burn it off',
  'work it off',
  'work off',
  'calorie deficit',
  'deficit',
  'bikini',
  'flat belly',
  // restriction
  'eat less',
  'eating less',
  'skip',
  'skipping',
  'cut calories',
  'cut back on food',
  'restrict',
  'fasting',
]);

// Longest first, so "cheat meal" is reported as itself rather than as "cheat".
const BANNED_RE = new RegExp(
  `\\b(?:${[...BANNED_PHRASES]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})\\b`,
  'gi',
);

/** The banned phrases found in `text` (lower-cased, in order of appearance; empty when clean). */
export function findBannedWording(text: string): string[] {
  return [...text.matchAll(BANNED_RE)].map((m) => m[0].toLowerCase());
}

export const MEAL_LABEL: Readonly<Record<MealType, string>> = Object.freeze({
  breakfast: 'breakfast',
  lunch: 'lunch',
  dinner: 'dinner',
  snack: 'snack',
  unspecified: 'meal',
});

/** Whole number with thousands separators, independent of the host locale (output must be deterministic). */
export function fmtInt(v: number): string {
  const n = Math.round(v);
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Grams: one decimal under 10 g, whole grams above. */
export function fmtG(v: number): string {
  return v < 10 ? `${Math.round(v * 10) / 10} g` : `${fmtInt(v)} g`;
}

export const fmtMg = (v: number): string => `${fmtInt(v)} mg`;
export const fmtKcal = (v: number): string => `${fmtInt(v)} kcal`;
export const fmtPct = (v: number): string => `${fmtInt(v)} %`;
