import { compile } from './patterns';
import type { RiskCategory, Tier } from './types';

/** One risk rule of the tables in rules-risk-*.ts (assembled, in order, in rules-risk.ts). */
export interface RiskRule {
  readonly id: string;
  readonly category: RiskCategory;
  readonly tier: Tier;
  readonly pattern: RegExp;
  /** Often hyperbole ("just kill me now"): with a laughter marker and no true-risk match it is not counted. */
  readonly prone?: boolean;
  /** Ambiguous alone ("wrote a note"): counts only when the text has another risk signal for the same subject. */
  readonly needsContext?: boolean;
  /** Slang that is first person by construction ("kms"). */
  readonly selfOnly?: boolean;
}

export const rule = (
  id: string,
  category: RiskCategory,
  tier: Tier,
  source: string,
  flags: Partial<Pick<RiskRule, 'prone' | 'needsContext' | 'selfOnly'>> = {},
): RiskRule => ({
  id,
  category,
  tier,
  pattern: compile(source),
  ...flags,
});
