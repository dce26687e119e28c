import { MEAL_SHARE_SOURCE } from './targets';
import { ALL, ENERGY_ABOVE_SHARE_FACTOR } from './rules-thresholds';
import type { FeedbackRule } from './types';
import { fmtG, fmtKcal, MEAL_LABEL } from './wording';

// ---------------------------------------------------------------- per meal, against the meal's share of the day

export const mealRules: FeedbackRule[] = [
  {
    code: 'fiber.meal_good',
    appliesTo: ['who', 'uk-fop'], // us-dga has the %DV fibre rules instead
    tone: 'praise',
    description: "fibre at least this meal type's share of the daily fibre target",
    evaluate(ctx) {
      const share = ctx.mealShare * ctx.targets.fiber_min_g;
      if (!(ctx.meal.fiber_g >= share) || ctx.meal.fiber_g <= 0) return undefined;
      return {
        severity: 'positive',
        message: `Good fibre: about ${fmtG(ctx.meal.fiber_g)}, at least a typical ${MEAL_LABEL[ctx.mealType]}'s share (${fmtG(share)}) of the ${fmtG(ctx.targets.fiber_min_g)} daily target.`,
        source: `${ctx.targets.sources.fiber_min_g}; ${MEAL_SHARE_SOURCE}`,
      };
    },
  },
  {
    code: 'protein.meal_good',
    appliesTo: ALL,
    tone: 'praise',
    description: "protein at least this meal type's share of the daily protein target",
    evaluate(ctx) {
      const share = ctx.mealShare * ctx.targets.protein_g;
      if (!(ctx.meal.protein_g >= share) || ctx.meal.protein_g <= 0) return undefined;
      return {
        severity: 'positive',
        message: `Good protein: about ${fmtG(ctx.meal.protein_g)}, at least a typical ${MEAL_LABEL[ctx.mealType]}'s share (${fmtG(share)}) of the ${fmtG(ctx.targets.protein_g)} daily target.`,
        source: `${ctx.targets.sources.protein_g}; ${MEAL_SHARE_SOURCE}`,
      };
    },
  },
  {
    code: 'energy.above_share',
    appliesTo: ALL,
    tone: 'limit',
    description: "energy well above this meal type's usual share (only without the day's totals)",
    evaluate(ctx) {
      // With the day's totals, the day-level rule speaks instead: a big meal in a day within target is fine.
      if (ctx.dayTotalsBefore) return undefined;
      const usual = ctx.mealShare * ctx.targets.kcal;
      if (!(ctx.meal.kcal > ENERGY_ABOVE_SHARE_FACTOR * usual)) return undefined;
      const label = MEAL_LABEL[ctx.mealType];
      return {
        severity: 'info',
        message: `This ${label} is larger than a typical one: about ${fmtKcal(ctx.meal.kcal)}, where a ${label} is often about ${fmtKcal(usual)} of a ${fmtKcal(ctx.targets.kcal)} day. Needs vary from day to day, so this is context, not a problem in itself.`,
        source: `${MEAL_SHARE_SOURCE}; energy target: ${ctx.targets.sources.kcal}`,
      };
    },
  },
  {
    code: 'sugar.added_per_meal',
    appliesTo: ['us-dga'],
    tone: 'limit',
    description: 'DGA 2025-30 added sugar per meal, with total sugar as a stated proxy',
    evaluate(ctx) {
      const th = ctx.profile.addedSugarPerMealMaxG;
      if (!th || !(ctx.meal.sugar_g > th.value)) return undefined;
      return {
        severity: 'suggestion',
        message: `This meal has about ${fmtG(ctx.meal.sugar_g)} of total sugar. The Dietary Guidelines advise no more than ${fmtG(th.value)} of added sugar per meal; our food data only has total sugar, so this is an upper bound on added sugar. If some of it comes from sweetened drinks or desserts, unsweetened options are a simple swap.`,
        source: th.source,
        caveat:
          'USDA food data has no added-sugar values, so total sugar (including natural sugar in fruit and milk) is used as a proxy; the added sugar in this meal may be much lower.',
      };
    },
  },
];
