import type { Working } from './risk-matches';
import { tierAtLeast, type RiskCategory, type RuleMatch, type Subject } from './types';

const COMBINABLE: Partial<Record<RiskCategory, string>> = {
  active_ideation: 'ideation',
  method: 'method',
  self_harm: 'self_harm',
  intent: 'intent',
  plan: 'plan',
  past_behavior: 'attempt',
};

/** Hyperbole, context and combination rules for the matches of ONE subject. Returns synthetic combination matches. */
export function settleGroup(
  items: Working[],
  laughter: boolean,
  timing: readonly { start: number; end: number; sentence: number }[],
  subject: Subject,
  echoed: boolean,
): RuleMatch[] {
  const isSignal = (w: Working) =>
    w.disposition !== 'hyperbole' &&
    w.disposition !== 'needs_context' &&
    tierAtLeast(w.tier, 'low') &&
    !w.rule.needsContext;
  const trueRisk = echoed || items.some((w) => isSignal(w) && !w.rule.prone);
  if (laughter && !trueRisk) {
    for (const w of items)
      if (w.rule.prone && w.disposition === 'counted') Object.assign(w, { disposition: 'hyperbole', tier: 'none' });
  }
  // Two different ambiguous acts ("I have a plan" + "I'm going to do it") are context for each other.
  const ambiguous = new Set(
    items.filter((w) => w.rule.needsContext && w.disposition === 'counted').map((w) => w.rule.id),
  );
  const context = echoed || ambiguous.size >= 2 || items.some(isSignal);
  for (const w of items) {
    if (w.rule.needsContext && w.disposition === 'counted' && !context)
      Object.assign(w, { disposition: 'needs_context', tier: 'none' });
  }
  const combos: RuleMatch[] = [];
  const sentences = [...new Set(items.map((w) => w.sentence))].sort((a, b) => a - b);
  for (const s of sentences) {
    const parts = items.filter(
      (w) =>
        w.sentence === s &&
        w.disposition === 'counted' &&
        tierAtLeast(w.tier, 'moderate') &&
        COMBINABLE[w.rule.category],
    );
    if (parts.length === 0) continue;
    const names = [...new Set(parts.map((w) => COMBINABLE[w.rule.category]!))].sort();
    const times = timing.filter((t) => t.sentence === s);
    const all = [...parts, ...times];
    const span = { start: Math.min(...all.map((x) => x.start)), end: Math.max(...all.map((x) => x.end)) };
    if (times.length > 0) {
      const rule = names.includes('intent') ? 'intent.timing' : `combo.${names.join('_')}_timing`;
      combos.push({
        rule,
        category: 'combination',
        tier: 'high',
        ruleTier: 'high',
        span,
        subject,
        disposition: 'counted',
      });
    } else if (names.includes('ideation') && names.includes('method')) {
      combos.push({
        rule: 'combo.ideation_method',
        category: 'combination',
        tier: 'moderate',
        ruleTier: 'moderate',
        span,
        subject,
        disposition: 'counted',
      });
    }
  }
  return combos;
}
