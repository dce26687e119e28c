import { normalise } from './patterns';
import { supportScript } from './resources';
import { findRiskMatches, type Working } from './risk-matches';
import { ECHO_RULE, IDIOM_RULES, LAUGHTER_RULE, TIMING_RULE } from './rules-context';
import { settleGroup } from './settle-group';
import { scan, sentenceIndex, splitSentences, tokenize, type Hit } from './text-spans';
import {
  maxTier,
  RULE_VERSION,
  type Disposition,
  type RuleMatch,
  type ScreeningResult,
  type ScreenOptions,
  type Subject,
  type Tier,
} from './types';

/**
 * The rule pass. It FLAGS CONTENT FOR REVIEW BY TRAINED STAFF; it does not diagnose anything. Steps:
 * 1. normalise (lower case, straight quotes; same length, so spans are offsets into the original text);
 * 2. find idioms ("killed it", "dead tired") and blank them out so risk rules never see them;
 * 3. run the risk rules; for each match decide the subject (self / third party / reader), negation and past framing;
 * 4. per subject: hyperbole-prone matches drop only with a laughter marker and no true-risk match; ambiguous acts
 *    ("wrote a note") count only next to another signal; ideation/method/self-harm/intent + timing in one sentence → high;
 * 5. the author's tier is the most urgent counted self match; third-party risk gets a support script instead.
 */

/** Dispositions whose (already adjusted) tier counts: a negated "going to kill myself" still counts as low. */
const COUNTS: ReadonlySet<Disposition> = new Set(['counted', 'negated', 'past', 'third_party']);

/** A tierless context match (idiom, timing, laughter, echo) listed so a reviewer can see why something (did not) fire. */
const contextMatch = (id: string, category: RuleMatch['category'], h: { start: number; end: number }): RuleMatch => ({
  rule: id,
  category,
  tier: 'none',
  ruleTier: 'none',
  span: { start: h.start, end: h.end },
  subject: 'none',
  disposition: 'context',
});

/** The most urgent tier among the counted matches of one subject. */
function countedTier(matched: readonly RuleMatch[], subject: Subject): Tier {
  let tier: Tier = 'none';
  for (const m of matched) if (m.subject === subject && COUNTS.has(m.disposition)) tier = maxTier(tier, m.tier);
  return tier;
}

/** Context hits, then risk matches (a counted third-party match reads `third_party`), then combinations. */
function listMatches(
  masked: string,
  hits: { idioms: Hit[]; timing: Hit[]; laughs: Hit[] },
  work: readonly Working[],
  combos: readonly RuleMatch[],
): RuleMatch[] {
  const matched: RuleMatch[] = [];
  for (const h of hits.idioms)
    matched.push(contextMatch(h.id, h.id.startsWith('bereavement.') ? 'bereavement' : 'idiom', h));
  for (const h of hits.timing)
    matched.push(contextMatch(`timing.${masked.slice(h.start, h.end).replace(/[^a-z0-9]+/g, '_')}`, 'timing', h));
  for (const h of hits.laughs) matched.push(contextMatch(h.id, 'hyperbole_marker', h));
  for (const w of work) {
    const disposition = w.subject === 'third_party' && w.disposition === 'counted' ? 'third_party' : w.disposition;
    matched.push({
      rule: w.rule.id,
      category: w.rule.category,
      tier: w.tier,
      ruleTier: w.rule.tier,
      span: { start: w.start, end: w.end },
      subject: w.subject,
      disposition,
    });
  }
  for (const c of combos) matched.push(c.subject === 'third_party' ? { ...c, disposition: 'third_party' } : c);
  return matched;
}

export function screenText(text: string, options: ScreenOptions = {}): ScreeningResult {
  const norm = normalise(text);
  const idioms = scan(IDIOM_RULES, norm);
  let masked = norm;
  for (const h of idioms) masked = masked.slice(0, h.start) + ' '.repeat(h.end - h.start) + masked.slice(h.end);
  const tokens = tokenize(masked);
  const sentences = splitSentences(masked, tokens);
  const timing = scan([TIMING_RULE], masked).map((t) => ({ ...t, sentence: sentenceIndex(sentences, t.start) }));
  const laughs = scan([LAUGHTER_RULE], norm);
  const echoes = scan([ECHO_RULE], masked);
  const work = findRiskMatches(norm, masked, tokens, sentences);

  const laughter = laughs.length > 0;
  const self = work.filter((w) => w.subject === 'self');
  const third = work.filter((w) => w.subject === 'third_party');
  // Third party first: an echo ("so do I") of a reported risk is a signal for the author's own group.
  const thirdCombos = settleGroup(third, laughter, timing, 'third_party', false);
  const reported = [
    ...third.filter((w) => w.disposition === 'counted').map((w) => w.tier),
    ...thirdCombos.map((c) => c.tier),
  ].reduce<Tier>(maxTier, 'none');
  const echoed = reported !== 'none' && echoes.length > 0;
  const combos = [...settleGroup(self, laughter, timing, 'self', echoed), ...thirdCombos];

  const matched = listMatches(masked, { idioms, timing, laughs }, work, combos);
  const thirdPartyTier = countedTier(matched, 'third_party');
  // An echo of a reported risk counts for the author at the reported tier; otherwise it is context only.
  for (const h of echoes)
    matched.push(
      thirdPartyTier !== 'none'
        ? {
            ...contextMatch(ECHO_RULE.id, 'echo', h),
            tier: thirdPartyTier,
            ruleTier: thirdPartyTier,
            subject: 'self',
            disposition: 'counted',
          }
        : contextMatch(ECHO_RULE.id, 'echo', h),
    );

  const tier = countedTier(matched, 'self');
  matched.sort(
    (a, b) =>
      a.span.start - b.span.start || a.span.end - b.span.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );

  const thirdParty = thirdPartyTier !== 'none';
  const result: ScreeningResult = { tier, matched, ruleVersion: RULE_VERSION, thirdParty, thirdPartyTier };
  if (thirdParty) result.supportScript = supportScript(thirdPartyTier, options.locale);
  return result;
}
