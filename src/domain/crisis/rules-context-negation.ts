import { compile } from './patterns';

// Negation and past framing: the words and patterns that lower a risk match's tier (see screen.ts).

/** Words that negate the following risk phrase ("I would never ...", "I'm not ...", "no longer ..."). */
export const NEGATION_CUES: ReadonlySet<string> = new Set([
  'not',
  'never',
  'no',
  "don't",
  'dont',
  "didn't",
  'didnt',
  "won't",
  'wont',
  "wouldn't",
  'wouldnt',
  "isn't",
  'isnt',
  "aren't",
  'arent',
  "haven't",
  'havent',
  "hasn't",
  'hasnt',
  'nor',
  'stopped',
  'quit',
  "wasn't",
  'wasnt',
]);
/**
 * Words that end a negation's scope: a new subject, a conjunction or an intensifier ("I've never felt SO
 * hopeless" is not a negation). Commas and other clause punctuation end it too (checked on the raw text).
 */
export const NEGATION_BLOCKERS: ReadonlySet<string> = new Set([
  'but',
  'and',
  'or',
  'because',
  'cause',
  'cuz',
  'coz',
  'why',
  'if',
  'when',
  'that',
  'though',
  'although',
  'how',
  'what',
  'so',
  'yet',
  'until',
  'unless',
  'except',
  'than',
  'more',
  'such',
  'as',
  'this',
  'like',
  'sure',
  'think',
  'know',
  'i',
  "i'm",
  'im',
  "i'd",
  "i've",
  "i'll",
  'me',
  'okay',
  'ok',
  'fine',
  'alright',
]);
/** How far back (in words) a negation cue may sit from the risk phrase. */
export const NEGATION_WINDOW = 4;

/** Past markers anywhere in the sentence ("years ago", "when I was a teen"): capped at low. "used to" is checked just before the match. */
export const PAST_SENTENCE = compile(
  String.raw`\b(?:(?:years|months) ago|when i was (?:younger|a kid|little|a teen(?:ager)?|in (?:high|middle) school)|in the past\b(?! (?:few|couple|week|month|day|\d|two|three|several))|back in (?:high school|college|school))\b`,
);
