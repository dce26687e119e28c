import {
  ANSWERED_NO,
  CONCEALMENT,
  CURRENT_DISTRESS,
  NEGATION_BLOCKERS,
  NEGATION_CUES,
  NEGATION_PHRASE,
  NEGATION_WINDOW,
  OTHER_WORDS,
  PAST_SENTENCE,
  PAST_TIME,
  QUESTION_ASKED,
  RECOVERED_ENTRY,
  SELF_IN_MATCH,
  SUPPORT_ONGOING,
  SELF_SUBJECTS,
  THIRD_PERSON_VERBS,
  THIRD_SUBJECTS,
} from './rules-context';
import { RISK_RULES, type RiskRule } from './rules-risk';
import { sentenceIndex, type Sentence, type Token } from './text-spans';
import { minTier, tierAtLeast, type Disposition, type Subject, type Tier } from './types';

/** One risk-rule match with its subject, negation and past framing decided (step 3 of screen.ts). */
export interface Working {
  rule: RiskRule;
  start: number;
  end: number;
  sentence: number;
  subject: Subject;
  disposition: Disposition;
  tier: Tier;
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
  const from = before[0]?.start ?? matchStart;
  if (has(norm.slice(from, matchStart), NEGATION_PHRASE)) return true;
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

const has = (text: string, pattern: RegExp) => text.search(pattern) >= 0;

/**
 * Every risk-rule match in the masked text (idioms blanked out), in rule order, each with its subject and its
 * disposition: directed at the reader, negated (high and up count as low), past (capped at low), or counted.
 * Two entry-level readings from the labelling guide: recovery told as recovery (a recovery marker and no
 * distress now) clears a past episode below high, and a clinician's question answered no ("asked whether I'd
 * thought about ending my life; I haven't") is a negation, unless the entry says the answer was a cover.
 * `norm` is the unmasked text, read for clause punctuation between a negation cue and the match.
 */
export function findRiskMatches(
  norm: string,
  masked: string,
  tokens: readonly Token[],
  sentences: readonly Sentence[],
): Working[] {
  const work: Working[] = [];
  const recovered = has(masked, RECOVERED_ENTRY) && !has(masked.replace(SUPPORT_ONGOING, ' '), CURRENT_DISTRESS);
  const answeredNo = has(masked, ANSWERED_NO) && !has(masked, CONCEALMENT);
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
      else if (isNegated(norm, before, start) || (answeredNo && has(masked.slice(sent.start, start), QUESTION_ASKED)))
        [disposition, tier] = ['negated', tierAtLeast(rule.tier, 'high') ? 'low' : 'none'];
      else if (
        recovered &&
        !tierAtLeast(rule.tier, 'high') &&
        (rule.category === 'past_behavior' || has(masked.slice(sent.start, sent.end), PAST_TIME))
      )
        [disposition, tier] = ['past', 'none'];
      else if (rule.category !== 'past_behavior' && isPast(masked, sent, before))
        [disposition, tier] = ['past', minTier(rule.tier, 'low')];
      work.push({ rule, start, end, sentence, subject, disposition, tier });
    }
  }
  return work;
}
