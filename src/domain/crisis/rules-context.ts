import { compile, I_AM, SUICIDE } from './patterns';

/**
 * Context rules: idioms and hyperbole that must not flag, timing words, laughter markers, and the word lists
 * used for negation, past framing and subject (self vs third party). Idioms are matched first and their text
 * is blanked out before the risk rules run, so "this workout killed me" never reaches a risk rule; each idiom
 * hit is still listed in the result (tier none) so a reviewer can see why nothing fired.
 */

export interface ContextRule {
  readonly id: string;
  readonly pattern: RegExp;
}

const idiom = (id: string, source: string): ContextRule => ({
  id: id.includes('.') ? id : `idiom.${id}`,
  pattern: compile(source),
});

const LAUGH_AFTER = String.raw`(?=[^a-z]*(?:$|lol|lmf?ao|haha|hehe|rofl|😂|🤣|💀|😭|😆|😹|xd))`;

export const IDIOM_RULES: readonly ContextRule[] = [
  idiom('killed_it', String.raw`\bkill(?:ed|ing|s)? it\b(?! all)`),
  idiom('killing_me', String.raw`\bkill(?:ed|ing|s) me\b`),
  idiom(
    'will_kill_me',
    String.raw`\b(?:going to|gonna|will|'ll|would|is gonna|is going to) (?:literally |actually )?(?:kill|murder) me\b`,
  ),
  idiom(
    'kill_time',
    String.raw`\bkill(?:ing|ed)? (?:some )?time\b|\bkill(?:ing|ed)? (?:the|a|my|that) (?:lights?|engine|mood|vibe|buzz|bug|process|spider|conversation|app)\b`,
  ),
  idiom('would_kill_for', String.raw`\b(?:would|'d) (?:literally )?kill for\b`),
  idiom('killer', String.raw`\bkill(?:er|joy)s?\b`),
  idiom(
    'overwork',
    String.raw`\bkill(?:ing|ed)? (?:my|him|her) ?self (?:at|with|over|on) (?:work|the gym|school|this|that|training|studying|homework|the treadmill|leg day)\b|\bkill(?:ing|ed)? myself (?:working|studying|training|trying to|to get|to finish|to make)\b|\bwork(?:ed|ing)? (?:my ?self|me) to death\b`,
  ),
  idiom(
    'to_death',
    String.raw`\b(?:bored|scared|frightened|worried|sick|tired|love[ds]?|loving|freezing|starving) (?:\w+ )?to death\b`,
  ),
  idiom(
    'laughing',
    String.raw`\b(?:die|dying|died|dead|kill(?:ed|ing)? (?:my ?self|me)) (?:from |of )?laugh(?:ing|ter)\b`,
  ),
  idiom(
    'die_of',
    String.raw`\b(?:die|dying|died|dead) (?:of|from) (?:embarrassment|shame|boredom|cuteness|the heat|heat|cringe|curiosity|thirst|hunger|excitement|jealousy|happiness|suspense|old age)\b`,
  ),
  idiom('dying_to', String.raw`\bdying (?:to|for) (?!die\b|end\b|kill\b)\w+`),
  idiom('to_die_for', String.raw`\bto die for\b`),
  idiom('die_on_hill', String.raw`\bdie on (?:this|that) hill\b`),
  idiom('dye_hair', String.raw`\b(?:die|dye|dying|dyeing) (?:my|her|his) hair\b`),
  idiom(
    'dead_adjective',
    String.raw`\bdead (?:tired|serious|wrong|set|last|cent(?:er|re)|silent|quiet|on (?:my|our|your) feet|end|ahead|heat|giveaway|meat|ringer|easy|even|lift|lifts|bug)\b`,
  ),
  idiom(
    'dead_words',
    String.raw`\bdead(?:line|lines|pan|lift|lifts|lifting|lifted|locked|bolt)\b|\bdrop(?:-| )dead (?:gorgeous|beautiful)\b|\bover my dead body\b|\bdead to me\b`,
  ),
  idiom(
    'device_dead',
    String.raw`\b(?:phone|battery|laptop|car|tablet|ipad|watch|charger|computer|headphones|airpods|plants?|tv|remote|mouse|keyboard|controller|flashlight|bulb|fitbit|scale|garmin)(?:'s| is| was| went| has| just)? ?(?:\w+ )?(?:dead|died)\b`,
  ),
  idiom(
    'im_dead_laughing',
    String.raw`\b${I_AM} (?:literally |so |actually |absolutely )?(?:dead|deceased|dying|weak|crying)\b${LAUGH_AFTER}`,
  ),
  idiom('so_dead', String.raw`\b${I_AM} so dead\b|\b(?:i'm|im|you're|youre) dead meat\b`),
  idiom('could_die', String.raw`\bcould (?:just |literally )?die\b${LAUGH_AFTER}`),
  idiom(
    'hopeless_at',
    String.raw`\bhopeless (?:at|with|romantic|case at)\b|\bhopelessly (?:in love|lost|devoted|romantic|addicted|optimistic)\b`,
  ),
  idiom('distance_kms', String.raw`\b\d+(?:[.,]\d+)? ?kms?\b`),
  idiom(
    'sports_suicides',
    String.raw`\bsuicides? (?:drills?|sprints?|runs?|squad|squats?|doors?|shifts?)\b|\b(?:did|doing|do|run|ran|running|coach made us run) suicides\b|\bsuicide squad\b`,
  ),
  idiom(
    'food_overdose',
    String.raw`\b(?:caffeine|sugar|coffee|cuteness|chocolate|carbs?|cheese|candy|pizza|netflix|anime) overdose\b|\b(?:od|od'?d|oding|od'ing|overdos(?:e|ed|ing)) on (?:coffee|caffeine|sugar|candy|chocolate|netflix|anime|cake|pizza|carbs|tiktok|content|cuteness|cookies|memes|espresso|matcha|energy drinks)\b`,
  ),
  idiom(
    'diet_cutting',
    String.raw`\bcut(?:ting)? (?:carbs|sugar|calories|weight|back|down|out|class|classes|onions|vegetables|veggies|my hair|hair|the grass|grass|wood|paper|coupons|costs|ties|corners|it close|the cake|fat)\b|\bcutting (?:phase|season|cycle)\b|\bcutting (?:again )?(?:for|before) (?:summer|the show|competition|my comp|the beach|season|my wedding)\b|\b(?:on a|my|a) (?:summer )?cut\b`,
  ),
  idiom(
    'injury_self',
    String.raw`\b(?:accidentally|nearly|almost) (?:cut|burned|burnt|hurt) ?my ?self\b|\b(?:cut|burned|burnt|hurt) my ?self (?:shaving|cooking|on|while|chopping|lifting|running|playing|during|in|at|skiing|working out|training|falling|by accident|accidentally|making|baking|again at)\b|\bcut my (?:finger|thumb|hand|foot|knee|arm|leg) (?:on|while|cooking|chopping)\b`,
  ),
  idiom(
    'rope_use',
    String.raw`\brope (?:for|to) (?:the|my|a|our) (?:tent|camping|boat|climbing|hammock|swing|garden|dog|clothesline|tarp|trip|gym)\b`,
  ),
  idiom(
    'overdose_news',
    String.raw`\boverdose (?:crisis|epidemic|awareness|prevention|deaths?|rates?|reversal|kits?|training)\b`,
  ),
  idiom('rope_sport', String.raw`\b(?:jump|jumping|climbing|tow|skipping|battle) ropes?\b|\bropes? course\b`),
  idiom('relationship_end', String.raw`\bend(?:ed|ing|s)? (?:it|things) (?:with|between) (?:him|her|them|us|my \w+)\b`),
  idiom(
    'take_life_back',
    String.raw`\btak(?:e|ing) (?:back )?(?:control of )?my life back\b|\btak(?:e|ing) my life in (?:a|my) (?:new )?(?:direction|hands)\b`,
  ),
  idiom(
    'disappear_trip',
    String.raw`\bdisappear (?:to|into|on|for) (?:a|an|the|my) (?:beach|cabin|island|mountains?|woods|book|game|vacation|holiday|trip|couch|bed|week|weekend|nap)\b`,
  ),
  idiom(
    'declutter',
    String.raw`\b(?:giv(?:e|ing|en)|gave|donat(?:e|ed|ing)) (?:away )?[^.!?\n]{0,30}?\b(?:to (?:charity|goodwill|the thrift|a thrift|the shelter)|before (?:the|my|our|we) mov\w*|declutter\w*)`,
  ),
  idiom(
    'self_delete_feature',
    String.raw`\bself(?:-| )?delet\w* (?:messages?|files?|feature|timer|button|posts?|stories|tweets?)\b`,
  ),
  idiom('shoot_me_message', String.raw`\bshoot me (?:a|an) (?:text|message|email|dm|line|note|call)\b`),
  idiom('recovery_clean', String.raw`\b(?:clean|free) (?:from|of) (?:self(?:-| )?harm(?:ing)?|sh|cutting)\b`),
  // Reports of a death (bereavement, news): not anyone's current risk. Listed so a reviewer sees them.
  idiom(
    'bereavement.reported_death',
    String.raw`\b(?:died|passed away|lost (?:him|her|them)) (?:of|from|to) (?:an? )?(?:overdose|${SUICIDE})\b|\bdied by ${SUICIDE}\b|\bcommitted ${SUICIDE}\b|\b(?:killed|hanged|shot) (?:him|her|them) ?sel(?:f|ves)\b|\btook (?:his|her|their) (?:own )?life\b`,
  ),
  idiom('bridge_game', String.raw`\b(?:play(?:ing|ed)?|game of) bridge\b|\bbridge (?:club|night|game|pose)\b`),
];

/** Timing words: on their own they are nothing; with ideation, method, self-harm or intent they make it high. */
export const TIMING_RULE: ContextRule = {
  id: 'timing',
  pattern: compile(
    String.raw`\b(?:tonight|tonite|2nite|tmrw|tomorrow(?: night| morning)?|this (?:weekend|evening|afternoon|friday|saturday|sunday|time tomorrow)|right now|later today|soon|in (?:a|an|one|two|few|a few|\d+) (?:hours?|minutes?|mins?|days?)|at midnight|after (?:everyone|everybody|they|my (?:parents|family|wife|husband|partner|roommates?|mom|dad)|the kids)(?:'s| is| are| goes| go| fall| falls)? ?(?:asleep|to bed|to sleep|out|leaves?|home)?|when (?:everyone|they|my (?:parents|family|roommates?))(?:'s| is| are| goes| go)? ?(?:asleep|to bed|out|leaves?|gone)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|my birthday)|before (?:my birthday|christmas|the weekend|morning)|by (?:the weekend|tomorrow|friday|monday)|this is the (?:night|day|end))\b`,
  ),
};

/** Laughter and joke markers. They may lower hyperbole-prone low-tier matches ONLY when no true-risk match exists. */
export const LAUGHTER_RULE: ContextRule = {
  id: 'hyperbole.laughter',
  pattern: compile(
    String.raw`\b(?:lo+l+|lmf?a+o+|rofl|(?:ha){2,}h?|(?:he){2,}|jk|jking|just kidding|xd)\b|😂|🤣|💀|😆|😹|/s\b`,
  ),
};

/** Echo of a third-party report by the author: "my friend wants to die and honestly so do I". */
export const ECHO_RULE: ContextRule = {
  id: 'echo.same_as_them',
  pattern: compile(
    String.raw`\b(?:so do i|so am i|me too|same here|i do too|i do as well|i feel the same(?: way)?|i'm the same|im the same|honestly same|(?:having|have|had|get|been having) the same (?:thoughts|feelings))\b`,
  ),
};

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

/** Words that make the nearest subject the author. */
export const SELF_SUBJECTS: ReadonlySet<string> = new Set([
  'i',
  "i'm",
  'im',
  "i've",
  'ive',
  "i'd",
  "i'll",
  'me',
  'myself',
  'my self',
  'mine',
]);
/** Words that make the nearest subject someone else. */
export const THIRD_SUBJECTS: ReadonlySet<string> = new Set([
  'he',
  'she',
  'they',
  "he's",
  "she's",
  "they're",
  'hes',
  'shes',
  'theyre',
  "he'd",
  "she'd",
  "they'd",
  "he'll",
  "she'll",
  "they'll",
  'him',
  'her',
  'them',
  'his',
  'their',
  'herself',
  'himself',
  'themselves',
  'themself',
  'friend',
  'friends',
  "friend's",
  'bestie',
  'bff',
  'sister',
  'brother',
  'sis',
  'bro',
  'mom',
  'mum',
  'mother',
  'dad',
  'father',
  'son',
  'daughter',
  'kid',
  'child',
  'cousin',
  'aunt',
  'uncle',
  'wife',
  'husband',
  'partner',
  'boyfriend',
  'girlfriend',
  'bf',
  'gf',
  'roommate',
  'flatmate',
  'classmate',
  'coworker',
  'co-worker',
  'colleague',
  'student',
  'patient',
  'client',
  'neighbor',
  'neighbour',
  'grandma',
  'grandpa',
  'niece',
  'nephew',
  'teammate',
  'someone',
  'somebody',
  'mate',
  'buddy',
  'fiance',
  'fiancee',
  'stepdad',
  'stepmom',
  'sibling',
  'teen',
  "son's",
  "daughter's",
]);
/** A verb form that marks a third-person subject when it starts a match and no subject word precedes it. */
export const THIRD_PERSON_VERBS: ReadonlySet<string> = new Set([
  'wants',
  'says',
  'keeps',
  'talks',
  'plans',
  'thinks',
  'is',
  'has',
  'feels',
  'needs',
]);
/** Words in a match that say whose risk it is ("kill herself", "end my life", "kill yourself"). */
export const OTHER_WORDS: ReadonlySet<string> = new Set([
  'yourself',
  'your',
  'you',
  'yourselves',
  'ur',
  'urself',
  'u',
  "you'll",
  "you're",
]);
/** Inside a match, the possessive says whose life it is ("end my life"); before a match "my" is neutral ("my friend"). */
export const SELF_IN_MATCH: ReadonlySet<string> = new Set([...SELF_SUBJECTS, 'my']);
