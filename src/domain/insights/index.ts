/** Weekly insights: a pure summary of a week of meals against daily targets, plus an SVG chart of it. */
export * from './types';
export {
  computeWeeklyInsight,
  validateWeeklyInsightInput,
  roundForDisplay,
  INSIGHTS_ENGINE_VERSION,
  FRUIT_VEG_CATEGORIES,
  CONTRIBUTOR_KEYS,
  LOW_INTAKE_MIN_MEALS,
  LOW_INTAKE_REVIEW_DAYS,
  UNRECOGNISED_NAME,
} from './compute';
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
