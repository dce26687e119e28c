import type { Nutrients } from '../nutrition/types';
import { ALL } from './rules-thresholds';
import type { FeedbackRule, RuleContext } from './types';
import { fmtG, fmtKcal, fmtMg, fmtPct } from './wording';

// ---------------------------------------------------------------- against the day (needs dayTotalsBefore)

/** Fires only when this meal is the one that takes the day over the limit, so the same news is not repeated. */
function dayOver(
  code: string,
  key: keyof Nutrients,
  limit: (ctx: RuleContext) => number,
  source: (ctx: RuleContext) => string,
  text: (after: number, limit: number) => string,
  severity: 'caution' | 'info',
): FeedbackRule {
  return {
    code,
    appliesTo: ALL,
    tone: 'limit',
    description: `this meal takes the day's ${key} over the daily target`,
    evaluate(ctx) {
      const before = ctx.dayTotalsBefore?.[key];
      const after = ctx.dayTotalsAfter?.[key];
      if (before === undefined || after === undefined) return undefined;
      const max = limit(ctx);
      if (!(before <= max && after > max)) return undefined;
      return { severity, message: text(after, max), source: source(ctx) };
    },
  };
}

export const dayRules: FeedbackRule[] = [
  dayOver(
    'day.sodium_over',
    'sodium_mg',
    (c) => c.targets.sodium_max_mg,
    (c) => c.targets.sources.sodium_max_mg,
    (a, m) =>
      `With this meal, today's sodium comes to about ${fmtMg(a)}, above the ${fmtMg(m)} daily limit. Lower-salt choices for the rest of today would help balance it.`,
    'caution',
  ),
  dayOver(
    'day.satfat_over',
    'satfat_g',
    (c) => c.targets.satfat_max_g,
    (c) => c.targets.sources.satfat_max_g,
    (a, m) =>
      `With this meal, today's saturated fat comes to about ${fmtG(a)}, above the ${fmtG(m)} daily limit (10 % of energy). Foods with unsaturated fats, such as nuts, seeds, fish or olive oil, are good options for the rest of today.`,
    'caution',
  ),
  dayOver(
    'day.energy_over',
    'kcal',
    (c) => c.targets.kcal,
    (c) => c.targets.sources.kcal,
    (a, m) =>
      `With this meal, today's energy comes to about ${fmtKcal(a)}, above the estimated ${fmtKcal(m)}. Estimates are rough and needs vary from day to day, so this is context only.`,
    'info',
  ),
  {
    code: 'day.fiber_reached',
    appliesTo: ALL,
    tone: 'praise',
    description: 'the day reaches the fibre target',
    evaluate(ctx) {
      const after = ctx.dayTotalsAfter?.fiber_g;
      if (after === undefined || !(after >= ctx.targets.fiber_min_g)) return undefined;
      return {
        severity: 'positive',
        message: `Today's fibre has reached about ${fmtG(after)}, meeting the ${fmtG(ctx.targets.fiber_min_g)} daily target.`,
        source: ctx.targets.sources.fiber_min_g,
      };
    },
  },
  {
    code: 'day.fiber_progress',
    appliesTo: ALL,
    tone: 'neutral',
    description: 'fibre progress toward the daily target',
    evaluate(ctx) {
      const after = ctx.dayTotalsAfter?.fiber_g;
      if (after === undefined || after >= ctx.targets.fiber_min_g) return undefined;
      return {
        severity: 'info',
        message: `Fibre so far today: about ${fmtG(after)} of the ${fmtG(ctx.targets.fiber_min_g)} daily target (${fmtPct((after / ctx.targets.fiber_min_g) * 100)}). Fruit, vegetables, beans, nuts and whole grains all add to it.`,
        source: ctx.targets.sources.fiber_min_g,
      };
    },
  },
];
