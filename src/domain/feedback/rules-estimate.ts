import { MEAL_SHARE_SOURCE } from './targets';
import { ALL, LOW_CONFIDENCE_THRESHOLD } from './rules-thresholds';
import type { FeedbackRule } from './types';
import { fmtInt, fmtPct, MEAL_LABEL } from './wording';

// ---------------------------------------------------------------- the estimate itself and the intake pattern

export const estimateRules: FeedbackRule[] = [
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
