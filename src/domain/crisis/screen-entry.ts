import trained from './model/crisis-model.generated.json';
import { type CrisisModel, type ModelScore, scoreWithModel } from './model/score';
import { screenText } from './screen';
import { maxTier, RULE_VERSION, type RuleMatch, type ScreenOptions, type Tier } from './types';

/** The model in force; its gate and thresholds were chosen on dev and out-of-fold train (docs/screening/model.md). */
export const CRISIS_MODEL: CrisisModel = trained;

/** The version of a screener whose learned signal is `learnedVersion`: the rules' version and the model's. */
export const screenerVersionOf = (learnedVersion: string) => `${RULE_VERSION}+${learnedVersion}`;

/**
 * Rules and the n-gram model together: a stored screening names this, and re-screening skips entries already at
 * it. A deployment with the fine-tuned encoder (CRISIS_ENCODER_DIR) screens under its own version instead.
 */
export const SCREENER_VERSION = screenerVersionOf(CRISIS_MODEL.version);

/** A rule that raised the tier: its id, C-SSRS-like category and where it matched (offsets, never words). */
export interface Finding {
  rule: string;
  category: RuleMatch['category'];
  tier: Tier;
  span: { start: number; end: number };
}

export interface EntryScreening {
  /** The higher of the two signals: what the case (if any) is opened with. */
  tier: Tier;
  screenerVersion: string;
  rules: { tier: Tier; ruleVersion: string; findings: Finding[]; thirdParty: boolean };
  model: ModelScore;
  /** Which signal set the tier: both, rules only, model only, or neither (tier none). */
  source: 'both' | 'rules' | 'model' | 'none';
}

/**
 * Screens one journal entry with both signals and keeps both, so staff see why it was flagged. It FLAGS
 * CONTENT FOR REVIEW BY TRAINED STAFF; it does not diagnose. Recall first: the final tier is the higher of
 * the rule pass and the learned model, and text past the model's gate that it is unsure about goes to `low`
 * (reviewed within the day) rather than `none`.
 */
export function screenEntry(
  text: string,
  opts: ScreenOptions = {},
  model: CrisisModel = CRISIS_MODEL,
  /** The learned signal when the caller scored it another way (the fine-tuned encoder: encoder-head.ts). */
  learned?: ModelScore,
): EntryScreening {
  const rules = screenText(text, opts);
  const scored = learned ?? scoreWithModel(model, text);
  const tier = maxTier(rules.tier, scored.tier);
  const findings = rules.matched
    .filter((m) => m.tier !== 'none' && ['counted', 'negated', 'past'].includes(m.disposition))
    .map((m) => ({ rule: m.rule, category: m.category, tier: m.tier, span: { start: m.span.start, end: m.span.end } }));
  const fromRules = tier !== 'none' && rules.tier === tier;
  const fromModel = tier !== 'none' && scored.tier === tier;
  const source = fromRules && fromModel ? 'both' : fromRules ? 'rules' : fromModel ? 'model' : 'none';
  return {
    tier,
    screenerVersion: screenerVersionOf(scored.version),
    rules: { tier: rules.tier, ruleVersion: rules.ruleVersion, findings, thirdParty: rules.thirdParty },
    model: scored,
    source,
  };
}

/** A screener as the activities use it: the version every screening it makes is stored under, and one entry. */
export interface CrisisScreener {
  readonly version: string;
  screen(text: string, opts?: ScreenOptions): Promise<EntryScreening>;
}

/** The default screener: the rules and the n-gram model in the repo (pure; async only to share the interface). */
export const NGRAM_SCREENER: CrisisScreener = {
  version: SCREENER_VERSION,
  screen: (text, opts) => Promise.resolve(screenEntry(text, opts)),
};
