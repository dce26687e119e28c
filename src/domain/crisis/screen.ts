import { normalise } from './patterns';
import { supportScript } from './resources';
import {
  ECHO_RULE,
  IDIOM_RULES,
  LAUGHTER_RULE,
  NEGATION_BLOCKERS,
  NEGATION_CUES,
  NEGATION_WINDOW,
  OTHER_WORDS,
  PAST_SENTENCE,
  SELF_IN_MATCH,
  SELF_SUBJECTS,
  THIRD_PERSON_VERBS,
  THIRD_SUBJECTS,
  TIMING_RULE,
  type ContextRule,
} from './rules-context';
import { RISK_RULES, type RiskRule } from './rules-risk';
import {
  maxTier,
  minTier,
  RULE_VERSION,
  tierAtLeast,
  type Disposition,
  type RiskCategory,
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

interface Token {
  text: string;
  start: number;
  end: number;
}
interface Sentence {
  start: number;
  end: number;
}
interface Working {
  rule: RiskRule;
  start: number;
  end: number;
  sentence: number;
  subject: Subject;
  disposition: Disposition;
  tier: Tier;
}

/** Dispositions whose (already adjusted) tier counts: a negated "going to kill myself" still counts as low. */
const COUNTS: ReadonlySet<Disposition> = new Set(['counted', 'negated', 'past', 'third_party']);

const COMBINABLE: Partial<Record<RiskCategory, string>> = {
  active_ideation: 'ideation',
  method: 'method',
  self_harm: 'self_harm',
  intent: 'intent',
  plan: 'plan',
  past_behavior: 'attempt',
};

function tokenize(text: string): Token[] {
  return [...text.matchAll(/[a-z0-9]+(?:'[a-z]+)*/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Sentences end at . ! ? ; or a newline; an ellipsis does not end one; a sentence of one or two words joins the previous one. */
function splitSentences(text: string, tokens: readonly Token[]): Sentence[] {
  const raw: Sentence[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const single = c === '.' && text.charAt(i + 1) !== '.' && text.charAt(i - 1) !== '.';
    if (c === '!' || c === '?' || c === ';' || c === '\n' || c === '\r' || single) {
      raw.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  raw.push({ start, end: text.length });
  const merged: Sentence[] = [];
  for (const s of raw) {
    const words = tokens.filter((t) => t.start >= s.start && t.end <= s.end).length;
    const last = merged[merged.length - 1];
    if (last && words <= 2) last.end = s.end;
    else merged.push({ ...s });
  }
  return merged;
}

function scan(rules: readonly ContextRule[], text: string): { id: string; start: number; end: number }[] {
  const out: { id: string; start: number; end: number }[] = [];
  for (const r of rules)
    for (const m of text.matchAll(r.pattern))
      if (m[0].length > 0) out.push({ id: r.id, start: m.index, end: m.index + m[0].length });
  return out;
}

function resolveSubject(rule: RiskRule, inMatch: readonly Token[], before: readonly Token[]): Subject {
  if (rule.selfOnly) return 'self';
  for (const t of inMatch) {
    if (SELF_IN_MATCH.has(t.text)) return 'self';
    if (OTHER_WORDS.has(t.text)) return 'other';
    if (THIRD_SUBJECTS.has(t.text)) return 'third_party';
  }
  for (let i = before.length - 1; i >= 0; i--) {
    const w = before[i]!.text;
    if (SELF_SUBJECTS.has(w)) return 'self';
    if (THIRD_SUBJECTS.has(w)) return 'third_party';
  }
  // No subject word in the sentence: a third-person verb ("wants to die") means someone else; otherwise the
  // journal's author, which is also the escalating choice when unsure.
  const first = inMatch[0]?.text;
  return first && THIRD_PERSON_VERBS.has(first) ? 'third_party' : 'self';
}

const CLAUSE_PUNCTUATION = /[,:()"\u2014\u2013]| - /;

/** A negation cue within NEGATION_WINDOW words before the match, with no blocker word or clause punctuation between. */
function isNegated(norm: string, before: readonly Token[], matchStart: number): boolean {
  for (let k = 0; k <= NEGATION_WINDOW && k < before.length; k++) {
    const tok = before[before.length - 1 - k]!;
    const prev = before[before.length - 2 - k]?.text;
    if (NEGATION_CUES.has(tok.text) || (tok.text === 'longer' && prev === 'no')) {
      return !CLAUSE_PUNCTUATION.test(norm.slice(tok.end, matchStart));
    }
    if (NEGATION_BLOCKERS.has(tok.text)) return false;
  }
  return false;
}

function isPast(masked: string, sentence: Sentence, before: readonly Token[]): boolean {
  for (let k = 0; k <= NEGATION_WINDOW && k < before.length; k++) {
    const tok = before[before.length - 1 - k]!;
    if (tok.text === 'to' && before[before.length - 2 - k]?.text === 'used') return true;
    if (NEGATION_BLOCKERS.has(tok.text)) break;
  }
  return [...masked.slice(sentence.start, sentence.end).matchAll(PAST_SENTENCE)].length > 0;
}

function sentenceIndex(sentences: readonly Sentence[], pos: number): number {
  const i = sentences.findIndex((s) => pos >= s.start && pos < s.end);
  return i < 0 ? sentences.length - 1 : i;
}

/** Hyperbole, context and combination rules for the matches of ONE subject. Returns synthetic combination matches. */
function settleGroup(
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

  const work: Working[] = [];
  for (const rule of RISK_RULES) {
    for (const m of masked.matchAll(rule.pattern)) {
      if (m[0].length === 0) continue;
      const start = m.index;
      const end = start + m[0].length;
      const sentence = sentenceIndex(sentences, start);
      const sent = sentences[sentence]!;
      const before = tokens.filter((t) => t.start >= sent.start && t.end <= start);
      const inMatch = tokens.filter((t) => t.start >= start && t.end <= end);
      const subject = resolveSubject(rule, inMatch, before);
      let disposition: Disposition = 'counted';
      let tier: Tier = rule.tier;
      if (subject === 'other') [disposition, tier] = ['directed_at_other', 'none'];
      else if (isNegated(norm, before, start))
        [disposition, tier] = ['negated', tierAtLeast(rule.tier, 'high') ? 'low' : 'none'];
      else if (rule.category !== 'past_behavior' && isPast(masked, sent, before))
        [disposition, tier] = ['past', minTier(rule.tier, 'low')];
      work.push({ rule, start, end, sentence, subject, disposition, tier });
    }
  }

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

  const matched: RuleMatch[] = [];
  const ctx = (id: string, category: RuleMatch['category'], h: { start: number; end: number }): RuleMatch => ({
    rule: id,
    category,
    tier: 'none',
    ruleTier: 'none',
    span: { start: h.start, end: h.end },
    subject: 'none',
    disposition: 'context',
  });
  for (const h of idioms) matched.push(ctx(h.id, h.id.startsWith('bereavement.') ? 'bereavement' : 'idiom', h));
  for (const h of timing)
    matched.push(ctx(`timing.${masked.slice(h.start, h.end).replace(/[^a-z0-9]+/g, '_')}`, 'timing', h));
  for (const h of laughs) matched.push(ctx(h.id, 'hyperbole_marker', h));
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

  let thirdPartyTier: Tier = 'none';
  for (const m of matched)
    if (m.subject === 'third_party' && COUNTS.has(m.disposition)) thirdPartyTier = maxTier(thirdPartyTier, m.tier);
  if (thirdPartyTier !== 'none') {
    for (const h of echoes)
      matched.push({
        ...ctx(ECHO_RULE.id, 'echo', h),
        tier: thirdPartyTier,
        ruleTier: thirdPartyTier,
        subject: 'self',
        disposition: 'counted',
      });
  } else {
    for (const h of echoes) matched.push(ctx(ECHO_RULE.id, 'echo', h));
  }

  let tier: Tier = 'none';
  for (const m of matched) if (m.subject === 'self' && COUNTS.has(m.disposition)) tier = maxTier(tier, m.tier);
  matched.sort(
    (a, b) =>
      a.span.start - b.span.start || a.span.end - b.span.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );

  const thirdParty = thirdPartyTier !== 'none';
  const result: ScreeningResult = { tier, matched, ruleVersion: RULE_VERSION, thirdParty, thirdPartyTier };
  if (thirdParty) result.supportScript = supportScript(thirdPartyTier, options.locale);
  return result;
}
