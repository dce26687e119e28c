/** Weekly insights: a pure summary of a week of meals against daily targets, plus an SVG chart of it. */
export * from './types';
export { computeWeeklyInsight, INSIGHTS_ENGINE_VERSION, LOW_INTAKE_MIN_MEALS, LOW_INTAKE_REVIEW_DAYS } from './compute';
export { validateWeeklyInsightInput } from './validate';
export { roundForDisplay, FRUIT_VEG_CATEGORIES, CONTRIBUTOR_KEYS, UNRECOGNISED_NAME } from './aggregate';
export {
  buildMessages,
  FRUIT_VEG_TARGET_G,
  FRUIT_VEG_SOURCE,
  SUMMARY_SOURCE,
  FEW_LOGGED_DAYS,
  ENERGY_ABOVE_FACTOR,
  PROTEIN_CONCENTRATED_PCT,
  TREND_NOTE_PCT,
  STREAK_NOTE_DAYS,
} from './messages';
export { DAY_LABELS, addDays, isoWeekday, localDate, weekDates } from './time';
export { renderWeeklyChartSvg, escapeXml, macroEnergyShares, type ChartOptions } from './svg';
