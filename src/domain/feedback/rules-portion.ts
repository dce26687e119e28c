import type { FeedbackRule, PortionHighThresholds, Threshold } from './types';
import { fmtG, fmtMg } from './wording';

// ---------------------------------------------------------------- per portion (UK front-of-pack "high")

const SALT_PER_SODIUM = 2.5; // EU Regulation 1169/2011, Annex I: salt = sodium x 2.5

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

export const portionRules: FeedbackRule[] = [
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
