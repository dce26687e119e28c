import type { StoredScreening } from '../db/repositories/journal';
import type { EntryScreening } from '../domain/crisis/screen-entry';
import { type Tier, TIERS } from '../domain/crisis/types';

/**
 * What is stored of a screening: both signals (rule ids, categories and offsets, never words; the model's
 * scores), so staff see why an entry was flagged and a new screener version can be compared with the old one.
 */
export function storedScreening(result: EntryScreening): StoredScreening {
  const { rules, model } = result;
  return {
    tier: result.tier,
    rules: rules.findings.map((f) => f.rule),
    spans: rules.findings.map((f) => f.span),
    ruleVersion: rules.ruleVersion,
    thirdParty: rules.thirdParty,
    rulesTier: rules.tier,
    categories: [...new Set(rules.findings.map((f) => f.category))],
    source: result.source,
    model: { version: model.version, tier: model.tier, scores: model.scores, uncertain: model.uncertain },
    screenerVersion: result.screenerVersion,
  };
}

/** A stored tier as a Tier: anything unknown (or no screening yet) counts as `none`, so a re-screen may raise it. */
export const storedTier = (s: StoredScreening | null): Tier =>
  s && (TIERS as readonly string[]).includes(s.tier) ? (s.tier as Tier) : 'none';
