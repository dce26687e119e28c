import { I_AM, PILLS, REFL } from './patterns';
import { rule, type RiskRule } from './risk-rule';

/** "I'm" or a third person: "she's on the bridge right now" is an act in progress too (reported). */
const PERSON = String.raw`(?:friend|bestie|sister|brother|son|daughter|mom|mum|dad|partner|boyfriend|girlfriend|bf|gf|wife|husband|roommate|cousin|kid|child)`;
const WHO_IS = String.raw`(?:${I_AM}|she's|he's|they're|shes|hes|theyre|(?:she|he) is|they are|${PERSON}(?:'s| is))`;

/** Acts in progress (imminent): pills taken, on the edge, bleeding, a rope around the neck. */
export const ACT_IN_PROGRESS_RULES: readonly RiskRule[] = [
  // ── act in progress → imminent ──────────────────────────────────────────────────────────────────────────
  rule(
    'act.pills_taken',
    'act_in_progress',
    'imminent',
    String.raw`\b(?:i've|ive|i have) (?:just |already )?(?:taken|swallowed) the ${PILLS}\b|\b(?:took|taken|swallowed|downed) (?:a (?:whole |full |entire )?bottle of(?: \w+)?(?: ${PILLS})?|the (?:whole|entire) bottle\b|(?:(?:a )?(?:bunch|handful|lot|ton|fistful) of|too many|way too many|so many|\d{2,}|twenty|thirty|forty|fifty|a hundred) (?:of )?(?:my |the )?(?:\w+ )?${PILLS}\b|all (?:of )?(?:my|the) ${PILLS} (?:at once|together|in one go|at the same time)\b)`,
  ),
  rule(
    'act.swallowed_all',
    'act_in_progress',
    'imminent',
    String.raw`\b(?:swallowed|downed) (?:all|every)(?: of)? (?:my|the) ${PILLS}|\bswallowed everything in (?:the|my) (?:medicine )?(?:cabinet|cupboard|drawer)\b`,
  ),
  rule(
    'act.overdosed',
    'act_in_progress',
    'imminent',
    String.raw`\b(?:i've|ive|i have|i) just (?:overdosed|od'?d|oded)\b|\b(?:i've|ive|i have) (?:overdosed|od'?d|oded)\b|\b${I_AM} (?:overdosing|oding|od'ing)(?: (?:right )?now)?\b`,
  ),
  rule(
    'act.on_the_edge',
    'act_in_progress',
    'imminent',
    String.raw`\b${WHO_IS} (?:standing|sitting|climbing|up) (?:on|over|at) (?:the |a )?(?:edge of (?:the |a )?)?(?:bridge|ledge|railing|edge|tracks|train tracks|cliff|overpass|parapet)\b|\b${WHO_IS} (?:on|at) (?:the |a )?(?:bridge|ledge|railing|tracks|train tracks|cliff|overpass|parapet)(?: (?:right )?now)\b|\b${WHO_IS} (?:on|at) the edge (?:right )?now\b`,
  ),
  rule(
    'act.on_the_roof',
    'act_in_progress',
    'imminent',
    String.raw`\b${I_AM} (?:standing |sitting )?(?:on|at) (?:the )?(?:roof|rooftop|top floor)(?: (?:right )?now)?\b`,
    { needsContext: true },
  ),
  rule(
    'act.bleeding',
    'act_in_progress',
    'imminent',
    String.raw`\bbleeding (?:a lot|so much|really bad(?:ly)?|heavily|badly|everywhere|too much)\b[^.!?\n]{0,25}?\b(?:can't|cant|cannot|won't|wont) (?:stop(?: it)?|make it stop|get it to stop)\b|\b(?:can't|cant|cannot) stop the bleeding\b|\bcut (?:too|way too|really) deep\b|\bbleeding out\b`,
  ),
  rule(
    'act.engine_running',
    'act_in_progress',
    'imminent',
    String.raw`\bin (?:my|the) car in the garage with the engine (?:on|running)\b`,
  ),
  rule(
    'act.neck',
    'act_in_progress',
    'imminent',
    String.raw`\b(?:rope|noose|belt|cord) (?:is )?(?:around|on) my neck\b`,
  ),
  rule(
    'act.doing_it_now',
    'act_in_progress',
    'imminent',
    String.raw`\b${I_AM} (?:doing it|cutting(?: ${REFL})?|hurting ${REFL}|hanging ${REFL}) (?:right )?now\b|\bpills (?:are|r) (?:starting to )?(?:kick(?:ing)? in|working)\b|\b(?:i've|ive|i have|i) (?:already |just )(?:done it|did it)\b`,
    { needsContext: true },
  ),
];
