import type { Nutrients } from '../nutrition/types';
import { MEAL_SHARE_SOURCE } from './targets';
import type {
  DailyValueRule,
  FeedbackRule,
  GuidelineProfileId,
  PortionHighThresholds,
  RuleContext,
  Threshold,
} from './types';
import { fmtG, fmtInt, fmtKcal, fmtMg, fmtPct, MEAL_LABEL } from './wording';

/**
 * The rules: each is data (code, profiles it applies to, tone) plus one pure function. A rule returns
 * undefined when it has nothing to say. The engine adds the code, drops praise and "limit" advice when intake
 * looks very low, and sorts the messages. Numbers come from the selected guideline profile, never from here,
 * except the few design choices below, which are ours and say so.
 */

const ALL: readonly GuidelineProfileId[] = ['who', 'us-dga', 'uk-fop'];

/**
 * "Well above the meal's share" means more than 1.5x the usual share. Our choice, not a guideline: meal
 * estimates are rough, so only a clear difference is worth a remark.
 */
export const ENERGY_ABOVE_SHARE_FACTOR = 1.5;
/** Below this, an estimate is called approximate (a fuzzy match with a guessed amount scores 0.6). Our choice. */
export const LOW_CONFIDENCE_THRESHOLD = 0.6;
/** Fibre advice on a drink or a bite (< 100 kcal) is not useful, so the low-fibre rule skips them. Our choice. */
export const MIN_KCAL_FOR_LOW_FIBER_ADVICE = 100;

const SALT_PER_SODIUM = 2.5; // EU Regulation 1169/2011, Annex I: salt = sodium x 2.5

// ---------------------------------------------------------------- per portion (UK front-of-pack "high")

function portionHigh(
  code: string,
  key: keyof PortionHighThresholds,
  text: (v: number, th: Threshold) => string,
): FeedbackRule {
  return {
    code,
    appliesTo: ['uk-fop'],
    tone: 'limit',
    description: `UK front-of-pack "high" (red) mark for ${key} in one portion`,
    evaluate(ctx) {
      const th = ctx.profile.portionHigh?.[key];
      if (!th || !(ctx.meal[key] > th.value)) return undefined;
      return { severity: 'caution', message: text(ctx.meal[key], th), source: th.source };
    },
  };
}

const portionRules: FeedbackRule[] = [
  portionHigh(
    'portion.high_fat',
    'fat_g',
    (v, th) =>
      `This portion is high in fat: about ${fmtG(v)}, where the UK front-of-pack "high" mark is over ${fmtG(th.value)}. Fat is part of a balanced diet; vegetables, fruit or whole grains at other meals keep the day varied.`,
  ),
  portionHigh(
    'portion.high_satfat',
    'satfat_g',
    (v, th) =>
      `This portion is high in saturated fat: about ${fmtG(v)}, where the UK front-of-pack "high" mark is over ${fmtG(th.value)}. Swapping some butter, cheese or fatty meat for olive or rapeseed oil, nuts, fish or beans is an easy change another time.`,
  ),
  portionHigh(
    'portion.high_sugar',
    'sugar_g',
    (v, th) =>
      `This portion is high in sugars: about ${fmtG(v)}, where the UK front-of-pack "high" mark is over ${fmtG(th.value)}. This counts all sugars, including those in fruit and milk; if much of it comes from sweet drinks or sweets, an unsweetened swap helps.`,
  ),
  portionHigh(
    'portion.high_salt',
    'sodium_mg',
    (v, th) =>
      `This portion is high in salt: about ${fmtG((v * SALT_PER_SODIUM) / 1000)} salt (${fmtMg(v)} sodium), where the UK front-of-pack "high" mark is over ${fmtG((th.value * SALT_PER_SODIUM) / 1000)} salt. Lower-salt sauces, stock or bread, and herbs or spices for flavour, make a difference over a day.`,
  ),
];

// ---------------------------------------------------------------- %DV (FDA: <= 5 % low, >= 20 % high)

type DvKey = 'sodium_mg' | 'satfat_g' | 'fiber_g';

function dvLevels(dv: DailyValueRule, key: DvKey) {
  // Compare in the nutrient's own unit (e.g. 460 mg), not as a recomputed percentage, so boundaries are exact.
  return { high: (dv[key].value * dv.highPct.value) / 100, low: (dv[key].value * dv.lowPct.value) / 100 };
}

function dvRule(
  code: string,
  key: DvKey,
  level: 'high' | 'low',
  rule: Pick<FeedbackRule, 'tone'> & {
    severity: 'caution' | 'positive' | 'suggestion';
    when?: (ctx: RuleContext) => boolean;
    text: (v: string, pct: string) => string;
  },
): FeedbackRule {
  return {
    code,
    appliesTo: ['us-dga'],
    tone: rule.tone,
    description: `FDA %DV: ${key} ${level === 'high' ? '>= 20 % DV is high' : '<= 5 % DV is low'}`,
    evaluate(ctx) {
      const dv = ctx.profile.dailyValues;
      if (!dv || (rule.when && !rule.when(ctx))) return undefined;
      const v = ctx.meal[key];
      const { high, low } = dvLevels(dv, key);
      if (level === 'high' ? !(v >= high) : !(v <= low)) return undefined;
      const shown = key === 'sodium_mg' ? fmtMg(v) : fmtG(v);
      return {
        severity: rule.severity,
        message: rule.text(shown, fmtPct((v / dv[key].value) * 100)),
        source: `${dv[key].source}; ${dv.highPct.source}`,
      };
    },
  };
}

const dvRules: FeedbackRule[] = [
  dvRule('dv.sodium_high', 'sodium_mg', 'high', {
    tone: 'limit',
    severity: 'caution',
    text: (v, p) =>
      `This meal is high in sodium: about ${v}, ${p} of the Daily Value (20 % or more counts as high). Lower-sodium sauces, breads and soups help across the day.`,
  }),
  dvRule('dv.sodium_low', 'sodium_mg', 'low', {
    tone: 'praise',
    severity: 'positive',
    text: (v, p) => `Low in sodium: about ${v}, ${p} of the Daily Value (5 % or less counts as low).`,
  }),
  dvRule('dv.satfat_high', 'satfat_g', 'high', {
    tone: 'limit',
    severity: 'caution',
    text: (v, p) =>
      `This meal is high in saturated fat: about ${v}, ${p} of the Daily Value (20 % or more counts as high). Swapping some butter, cheese or fatty meat for vegetable oils, nuts, fish or beans is an easy change another time.`,
  }),
  dvRule('dv.satfat_low', 'satfat_g', 'low', {
    tone: 'praise',
    severity: 'positive',
    text: (v, p) => `Low in saturated fat: about ${v}, ${p} of the Daily Value (5 % or less counts as low).`,
  }),
  dvRule('dv.fiber_high', 'fiber_g', 'high', {
    tone: 'praise',
    severity: 'positive',
    text: (v, p) => `A high-fibre meal: about ${v}, ${p} of the Daily Value (20 % or more counts as high).`,
  }),
  dvRule('dv.fiber_low', 'fiber_g', 'low', {
    tone: 'neutral',
    severity: 'suggestion',
    when: (ctx) => ctx.meal.kcal >= MIN_KCAL_FOR_LOW_FIBER_ADVICE,
    text: (v, p) =>
      `This meal is low in fibre: about ${v}, ${p} of the Daily Value (5 % or less counts as low). Adding fruit, vegetables, beans or whole grains would bring in more.`,
  }),
];

// ---------------------------------------------------------------- per meal, against the meal's share of the day

const mealRules: FeedbackRule[] = [
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

const dayRules: FeedbackRule[] = [
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

// ---------------------------------------------------------------- the estimate itself and the intake pattern

const estimateRules: FeedbackRule[] = [
  {
    code: 'estimate.low_confidence',
    appliesTo: ALL,
    tone: 'neutral',
    description: `estimate confidence below ${LOW_CONFIDENCE_THRESHOLD}`,
    evaluate(ctx) {
      if (ctx.confidence === undefined || !(ctx.confidence < LOW_CONFIDENCE_THRESHOLD)) return undefined;
      return {
        severity: 'info',
        message: `This estimate is approximate (confidence ${fmtPct(ctx.confidence * 100)}): some foods or amounts were guessed, so please read the feedback as a rough guide.`,
        source: 'Meal estimate confidence (food match and portion certainty)',
      };
    },
  },
  {
    code: 'estimate.unrecognized_items',
    appliesTo: ALL,
    tone: 'neutral',
    description: 'some items were not recognised and count as zero',
    evaluate(ctx) {
      const n = ctx.itemsUnrecognized;
      if (!(n > 0)) return undefined;
      return {
        severity: 'info',
        message: `${fmtInt(n)} ${n === 1 ? 'item was' : 'items were'} not recognised and ${n === 1 ? 'counts' : 'count'} as zero, so the totals may be lower than what you had. Naming ${n === 1 ? 'it' : 'them'} differently or adding an amount makes the feedback more accurate.`,
        source: 'Meal estimate: unrecognised items contribute nothing to the totals',
      };
    },
  },
  {
    code: 'intake.review',
    appliesTo: ALL,
    tone: 'neutral',
    description: 'very low intake pattern: a neutral note, and the result goes to human review',
    evaluate(ctx) {
      if (ctx.lowIntakeReasons.length === 0) return undefined;
      // No numbers on purpose: figures invite comparison and are unhelpful if eating is difficult.
      const what = ctx.lowIntakeReasons.includes('day_below_floor_late')
        ? "Today's logged meals add up to less than most adults need"
        : `This looks lighter than a typical ${MEAL_LABEL[ctx.mealType]}`;
      return {
        severity: 'info',
        message: `Thanks for logging. ${what}, so we are keeping this feedback general. Logs can be incomplete and needs vary; regular meals and snacks help with energy and wellbeing. If eating enough has been hard lately, our support team is here to help.`,
        source: `Energy floor: ${ctx.targets.sources.energyFloorKcal}; meal share: ${MEAL_SHARE_SOURCE}`,
      };
    },
  },
];

/** All rules, in definition order (the engine sorts the output, so this order does not leak into results). */
export const RULES: readonly FeedbackRule[] = Object.freeze([
  ...estimateRules,
  ...portionRules,
  ...dvRules,
  ...mealRules,
  ...dayRules,
]);
