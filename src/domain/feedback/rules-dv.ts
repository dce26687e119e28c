import { MIN_KCAL_FOR_LOW_FIBER_ADVICE } from './rules-thresholds';
import type { DailyValueRule, FeedbackRule, RuleContext } from './types';
import { fmtG, fmtMg, fmtPct } from './wording';

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

export const dvRules: FeedbackRule[] = [
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
