/**
 * Context rules: idioms and hyperbole that must not flag, timing words, laughter markers, and the word lists
 * used for negation, past framing and subject (self vs third party). Idioms are matched first and their text
 * is blanked out before the risk rules run, so "this workout killed me" never reaches a risk rule; each idiom
 * hit is still listed in the result (tier none) so a reviewer can see why nothing fired.
 */

export type { ContextRule } from './context-rule';
export { IDIOM_RULES } from './rules-context-idioms';
export { ECHO_RULE, LAUGHTER_RULE, TIMING_RULE } from './rules-context-markers';
export {
  ANSWERED_NO,
  CONCEALMENT,
  CURRENT_DISTRESS,
  NEGATION_BLOCKERS,
  NEGATION_CUES,
  NEGATION_PHRASE,
  NEGATION_WINDOW,
  PAST_SENTENCE,
  PAST_TIME,
  QUESTION_ASKED,
  RECOVERED_ENTRY,
  SUPPORT_ONGOING,
} from './rules-context-negation';
export {
  OTHER_WORDS,
  SELF_IN_MATCH,
  SELF_SUBJECTS,
  THIRD_PERSON_VERBS,
  THIRD_SUBJECTS,
} from './rules-context-subjects';
