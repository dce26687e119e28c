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
/**
 * A negating phrase ending just before the risk phrase, longer than the cue window ("not a flicker of wanting to
 * hurt myself", "nothing in me wants to hurt myself", "no part of me wants to die"; crisis-rules-1.2.0).
 */
export const NEGATION_PHRASE = compile(
  String.raw`\b(?:not (?:a|one) (?:flicker|trace|hint|shred|single thought|thought)|nothing in me|no part of me)(?: of)?(?: (?:wanting|wants|want) to)?\s*$`,
);

/** Past markers anywhere in the sentence ("years ago", "when I was a teen"): capped at low. "used to" is checked just before the match. */
export const PAST_SENTENCE = compile(
  String.raw`\b(?:(?:years|months) ago|when i was (?:younger|a kid|little|a teen(?:ager)?|in (?:high|middle) school)|in the past\b(?! (?:few|couple|week|month|day|\d|two|three|several))|back in (?:high school|college|school))\b`,
);

/**
 * Recovery told as recovery (guide: `past_recovered` is `none`): a recovery marker in the entry and NO sign of
 * distress now. With both, a past episode ("after my overdose at 19", "seven years without self-harm") does not
 * count; any current-distress word keeps the old rules (capped at low, or moderate for a past attempt).
 */
export const RECOVERED_ENTRY = compile(
  String.raw`\b(?:recover(?:ed|y)|(?:doing|been|i'm|im|i am) (?:really |so |very )?(?:well|great)|been well|well (?:now|for|since)|(?:self-harm|self harm|sh) free|(?:years?|months?) (?:clean|free|without)|how far i've come|proud of (?:how far|myself|me)|grateful|gratitude|life is (?:good|full)|haven't needed|(?:i'm|im|i am) (?:okay|ok|fine|well|happy|safe) now|discharged|(?:happily|now) settled|(?:been|feel|feeling|felt|i'm|im|i am) (?:\w+ )?(?:steady|settled)|feel well)\b`,
);
/**
 * Support still in place, told as part of a recovery ("a psychologist I still trust", "my safety plan is still in
 * my phone", "I still have supervision every month", "back at uni"): blanked out before CURRENT_DISTRESS is read,
 * so its "still" or "back" is not taken for distress now (crisis-rules-1.2.0).
 */
export const SUPPORT_ONGOING = compile(
  String.raw`\b(?:(?:therapist|psychologist|counsel+or|gp|doctor|nurse|team) i still (?:trust|see|talk to)|i still (?:have|see|keep|trust|go to|attend)(?: (?:my|the|a|an|our|monthly|weekly|regular))?(?: own)? (?:supervision|therapist|psychologist|counsel+or|gp|safety plan|list|check-ins?|appointments?|sessions?)|(?:safety plan|list|card|number) is still (?:in|on) my \w+|back (?:at|to) (?:uni|university|college|school|work)\b(?! (?:and|but) (?:it|i|the)))`,
);
/** Distress now: any of these in the entry and recovery does not clear a past episode. */
export const CURRENT_DISTRESS = compile(
  String.raw`\b(?:still|again|back|creeping|lately|these days|recently|returned|relaps\w*|keep thinking|can't stop|cant stop|struggling|scared|worse|urges?|tempted|wish i|want to die|miss (?:it|the)|yet|low|sad|grieve|heavy|tight|hard|cried|tears|hurts)\b`,
);
/** A sentence about a time that is over ("ago", "when I was 19", "in 2011", "after my attempt", "used to"). */
export const PAST_TIME = compile(
  String.raw`\b(?:ago|when i was|in (?:19|20)\d\d|(?:years?|months?) (?:since|after|on|without|from)|since (?:my|the|that)|after (?:my|the|a|an)|following (?:my|a|an)|used to|at (?:nineteen|twenty|\d\d)|in my (?:teens|twenties|thirties|youth|early|late)|as a teen(?:ager)?|back then|my (?:old|last|first)|old (?:journal|scars?)|(?:self-harm|self harm|sh) free|(?:years?|months?) (?:clean|free))\b`,
);
/**
 * A clinician's or form's question answered no ("the nurse asked whether I'd thought about ending my life; I
 * told her honestly that I haven't"): the risk words are the question's. Never when the entry says the answer
 * was a lie or a cover (concealment is `high` in the guide).
 */
export const QUESTION_ASKED = compile(
  String.raw`\b(?:asked|asks|asking|ask|questionnaire|question \w+|checked in|screening)\b(?: me)?(?: (?:if|whether|about))?`,
);
export const ANSWERED_NO = compile(
  String.raw`\b(?:said no|say no|answered no|told (?:her|him|them) (?:no|honestly)|(?:honest|truthful) answer (?:was|is) no|honestly say no|not at all|none|i haven't|i have not|i'm not|i am not|no urges|not a flicker)\b`,
);
export const CONCEALMENT = compile(
  String.raw`\b(?:lie|lied|lying|lies|fooled|pretend(?:ed|ing)?|didn't tell|not tell(?:ing)?|so they(?:'d| would| wouldn't)|cover|if i (?:say|said) yes|laughed|truth is|actually|planning|picked)\b`,
);
