import { ACT_IN_PROGRESS_RULES } from './rules-risk-acts';
import { IDEATION_RULES } from './rules-risk-ideation';
import { INTENT_PLAN_RULES } from './rules-risk-intent';
import { PASSIVE_RULES } from './rules-risk-passive';
import type { RiskRule } from './risk-rule';

export type { RiskRule } from './risk-rule';

/**
 * Risk rules, C-SSRS-screener-like. A match FLAGS CONTENT FOR REVIEW BY TRAINED STAFF; it is not a diagnosis.
 * Where a phrase is ambiguous the rule leans toward escalation (e.g. "I want to die" is moderate, one step above
 * the strict C-SSRS "wish to be dead" reading), except where everyday wellness-app text would constantly trip
 * it ("I took my pills", "cutting carbs", "5 kms"): those are excluded explicitly (see rules-context idioms).
 */
export const RISK_RULES: readonly RiskRule[] = [
  ...ACT_IN_PROGRESS_RULES,
  ...INTENT_PLAN_RULES,
  ...IDEATION_RULES,
  ...PASSIVE_RULES,
];
