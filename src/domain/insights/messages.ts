import type { DailyTargets } from '../feedback/types';
import { fmtG, fmtInt, fmtKcal, fmtMg, MEAL_LABEL } from '../feedback/wording';
import type { Nutrients } from '../nutrition/types';
import type { Contributor, InsightMessage, WeeklyInsight } from './types';

/**
 * Weekly messages in safe wording: no weight or body talk, no moralising, and nothing that nudges toward eating
 * less. When the week shows a very low intake pattern, "limit" advice and praise for staying under a maximum are
 * withheld and the week goes to a person. Messages come out in a fixed rule order, so output is deterministic.
 */

export const FRUIT_VEG_TARGET_G = 400;
export const FRUIT_VEG_SOURCE =
  'WHO (2020) Healthy diet fact sheet no. 394: at least 400 g of fruit and vegetables a day';
export const SUMMARY_SOURCE = 'Wellflow weekly summary (from logged meals only)';
/** Fewer logged days than this: averages are flagged as covering part of the week. */
export const FEW_LOGGED_DAYS = 4;
/** Average energy above the estimate by this factor gets an information-only note. */
export const ENERGY_ABOVE_FACTOR = 1.2;
/** Share of the week's protein at one main meal that counts as concentrated. */
export const PROTEIN_CONCENTRATED_PCT = 60;
/** Week-on-week change (percent) worth a note. */
export const TREND_NOTE_PCT = 10;
export const STREAK_NOTE_DAYS = 3;

/** A week with at least one logged day, as every rule after the empty-week check sees it. */
interface LoggedWeek {
  w: WeeklyInsight;
  t: DailyTargets;
  avg: Nutrients;
  /** Logged days. */
  n: number;
  /** Very low intake pattern: limit advice and praise for staying under a maximum are withheld. */
  lowIntake: boolean;
}

/** One "above the maximum" rule (sodium, saturated fat, sugar). */
interface LimitRule {
  code: string;
  over: number;
  average: number;
  max: number;
  fmt: (v: number) => string;
  what: string;
  tip: string;
  source: string;
  list: Contributor[];
  caveat?: string;
}

const dayWord = (k: number) => (k === 1 ? 'day' : 'days');

function sourcesList(list: Contributor[], fmt: (v: number) => string): string {
  const parts = list.map((c) => `${c.name} (${fmt(c.amount)}, ${fmtInt(c.sharePct)} %)`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function buildMessages(w: WeeklyInsight, t: DailyTargets): InsightMessage[] {
  const avg = w.dailyAverages;
  if (!avg || w.loggedDays === 0) return [emptyWeekMessage()];
  const week: LoggedWeek = { w, t, avg, n: w.loggedDays, lowIntake: w.needsReview };
  return [
    ...coverageMessages(week),
    ...energyMessages(week),
    ...limitMessages(week),
    fiberMessage(week),
    fruitVegMessage(week),
    ...proteinMessages(week),
    ...trendMessages(week),
    ...streakMessages(week),
  ];
}

function emptyWeekMessage(): InsightMessage {
  return {
    code: 'empty_week',
    severity: 'info',
    message: 'No meals were logged this week. Whenever you log a meal, your weekly summary will appear here.',
    source: SUMMARY_SOURCE,
  };
}

/** Low intake review, partial week and single-meal days: how far the week's numbers can be read. */
function coverageMessages({ w, t, n, lowIntake }: LoggedWeek): InsightMessage[] {
  const out: InsightMessage[] = [];
  if (lowIntake) {
    out.push({
      code: 'low_intake_review',
      severity: 'caution',
      message:
        `On ${w.lowIntakeDays} days this week the meals logged added up to under about ${fmtKcal(t.energyFloorKcal)}. ` +
        'Getting enough energy matters for how you feel day to day. A member of our team may check in, and a doctor or dietitian can help if eating enough has been hard.',
      source: t.sources.energyFloorKcal,
    });
  }
  if (n < FEW_LOGGED_DAYS) {
    out.push({
      code: 'partial_week',
      severity: 'info',
      message: `Meals were logged on ${n} of 7 ${dayWord(7)}, so the averages below describe those ${dayWord(n)} only.`,
      source: SUMMARY_SOURCE,
    });
  }
  const singleMealDays = w.days.filter((d) => d.mealCount === 1).length;
  if (singleMealDays * 2 > n) {
    out.push({
      code: 'single_meal_days',
      severity: 'info',
      message: `On ${singleMealDays} of ${n} logged ${dayWord(n)} only one meal was recorded, so those daily totals may be incomplete.`,
      source: SUMMARY_SOURCE,
    });
  }
  return out;
}

function energyMessages({ t, avg, lowIntake }: LoggedWeek): InsightMessage[] {
  if (!lowIntake && avg.kcal > t.kcal * ENERGY_ABOVE_FACTOR) {
    return [
      {
        code: 'energy_above_estimate',
        severity: 'info',
        message: `Energy on logged days averaged ${fmtKcal(avg.kcal)}, compared with an estimated ${fmtKcal(t.kcal)}. Needs vary from day to day and the estimate is rough, so this is for information only.`,
        source: t.sources.kcal,
      },
    ];
  }
  return [];
}

/** Sodium, saturated fat and sugar above their maximum, in that order; none during a low intake pattern. */
function limitMessages(week: LoggedWeek): InsightMessage[] {
  const { w, t, avg } = week;
  const rules: LimitRule[] = [
    {
      code: 'sodium_above',
      over: w.daysOver.sodium_mg,
      average: avg.sodium_mg,
      max: t.sodium_max_mg,
      fmt: fmtMg,
      what: 'Sodium',
      tip: 'Lower-salt versions, or seasoning with herbs, spices and lemon, are easy swaps.',
      source: t.sources.sodium_max_mg,
      list: w.topContributors.sodium_mg,
    },
    {
      code: 'satfat_above',
      over: w.daysOver.satfat_g,
      average: avg.satfat_g,
      max: t.satfat_max_g,
      fmt: fmtG,
      what: 'Saturated fat',
      tip: 'Swaps such as vegetable oils in place of butter, or nuts and seeds as a snack, can help.',
      source: t.sources.satfat_max_g,
      list: w.topContributors.satfat_g,
    },
    {
      code: 'sugar_above',
      over: w.daysOver.sugar_g,
      average: avg.sugar_g,
      max: t.sugar_max_g,
      fmt: fmtG,
      what: 'Sugar',
      tip: 'Water or unsweetened drinks, and fruit in place of some sweet snacks, are simple swaps.',
      source: t.sources.sugar_max_g,
      list: w.topContributors.sugar_g,
      caveat:
        'Only total sugar is known, which includes the natural sugar in fruit and milk; the guideline is about free or added sugar.',
    },
  ];
  return rules.flatMap((rule) => limitMessage(week, rule) ?? []);
}

function limitMessage({ n, lowIntake }: LoggedWeek, r: LimitRule): InsightMessage | null {
  if (lowIntake || (r.over < 2 && r.average <= r.max)) return null;
  const top =
    r.list.length === 0
      ? ''
      : ` The largest ${r.list.length === 1 ? 'source was' : 'sources were'} ${sourcesList(r.list, r.fmt)}.`;
  return {
    code: r.code,
    severity: 'suggestion',
    message: `${r.what} was above about ${r.fmt(r.max)} on ${r.over} of ${n} logged ${dayWord(n)} (average ${r.fmt(r.average)} a day).${top} ${r.tip}`,
    source: r.source,
    ...(r.caveat ? { caveat: r.caveat } : {}),
  };
}

function fiberMessage({ w, t, avg, n }: LoggedWeek): InsightMessage {
  if (avg.fiber_g < t.fiber_min_g) {
    return {
      code: 'fiber_low',
      severity: 'suggestion',
      message: `Fibre averaged ${fmtG(avg.fiber_g)} a day against about ${fmtG(t.fiber_min_g)}, reached on ${w.fiberAdequateDays} of ${n} logged ${dayWord(n)}. Adding wholegrains, beans, lentils, fruit or vegetables is one way to bring it up.`,
      source: t.sources.fiber_min_g,
    };
  }
  return {
    code: 'fiber_met',
    severity: 'positive',
    message: `Fibre averaged ${fmtG(avg.fiber_g)} a day, at or above the ${fmtG(t.fiber_min_g)} guideline.`,
    source: t.sources.fiber_min_g,
  };
}

function fruitVegMessage({ w }: LoggedWeek): InsightMessage {
  const fv = w.fruitVeg.averageG ?? 0;
  const fvCaveat =
    'Counted from items in the fruit and vegetables categories; vegetables inside mixed dishes are not counted, so the real amount may be higher.';
  if (fv < FRUIT_VEG_TARGET_G) {
    return {
      code: 'fruit_veg_low',
      severity: 'suggestion',
      message: `Fruit and vegetables averaged ${fmtG(fv)} a day on logged days; the WHO suggests at least ${fmtG(FRUIT_VEG_TARGET_G)}. Adding a piece of fruit or a side of vegetables to a meal is one way to get there.`,
      source: FRUIT_VEG_SOURCE,
      caveat: fvCaveat,
    };
  }
  return {
    code: 'fruit_veg_met',
    severity: 'positive',
    message: `Fruit and vegetables averaged ${fmtG(fv)} a day, meeting the WHO suggestion of at least ${fmtG(FRUIT_VEG_TARGET_G)}.`,
    source: FRUIT_VEG_SOURCE,
    caveat: fvCaveat,
  };
}

/** Protein below the estimate, then protein concentrated at one main meal. */
function proteinMessages({ w, t, avg }: LoggedWeek): InsightMessage[] {
  const out: InsightMessage[] = [];
  if (avg.protein_g < t.protein_g) {
    out.push({
      code: 'protein_below',
      severity: 'suggestion',
      message: `Protein averaged ${fmtG(avg.protein_g)} a day against about ${fmtG(t.protein_g)}. Adding beans, lentils, eggs, dairy, fish, meat or tofu to a meal could help.`,
      source: t.sources.protein_g,
    });
  }
  const main = w.proteinByMealType.filter(
    (p) => p.mealType === 'breakfast' || p.mealType === 'lunch' || p.mealType === 'dinner',
  );
  const top = [...main].sort((a, b) => b.sharePct - a.sharePct)[0];
  if (w.mealCount >= 4 && main.length >= 2 && top && top.sharePct >= PROTEIN_CONCENTRATED_PCT) {
    out.push({
      code: 'protein_concentrated',
      severity: 'info',
      message: `Most of the week's protein (${fmtInt(top.sharePct)} %) came at ${MEAL_LABEL[top.mealType]}. Some protein at each meal is one option to spread it out.`,
      source: SUMMARY_SOURCE,
    });
  }
  return out;
}

/** Week-on-week notes: fibre up, and sodium down (not during a low intake pattern). */
function trendMessages({ w, lowIntake }: LoggedWeek): InsightMessage[] {
  const out: InsightMessage[] = [];
  const fiberTrend = w.trends?.fiber_g ?? null;
  if (fiberTrend !== null && fiberTrend >= TREND_NOTE_PCT) {
    out.push({
      code: 'trend_fiber_up',
      severity: 'positive',
      message: `Fibre per logged day was up ${fmtInt(fiberTrend)} % on the previous week.`,
      source: SUMMARY_SOURCE,
    });
  }
  const sodiumTrend = w.trends?.sodium_mg ?? null;
  if (!lowIntake && sodiumTrend !== null && sodiumTrend <= -TREND_NOTE_PCT) {
    out.push({
      code: 'trend_sodium_down',
      severity: 'positive',
      message: `Sodium per logged day was down ${fmtInt(-sodiumTrend)} % on the previous week.`,
      source: SUMMARY_SOURCE,
    });
  }
  return out;
}

function streakMessages({ w }: LoggedWeek): InsightMessage[] {
  if (w.streak.days >= STREAK_NOTE_DAYS) {
    return [
      {
        code: 'logging_streak',
        severity: 'positive',
        message: `You logged meals ${w.streak.days} days in a row. Thank you for keeping track.`,
        source: SUMMARY_SOURCE,
      },
    ];
  }
  return [];
}
