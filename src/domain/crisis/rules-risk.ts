import type { RiskCategory, Tier } from './types';
import { compile, I_AM, PILLS, POSS, REFL, SUICIDE } from './patterns';

/**
 * Risk rules, C-SSRS-screener-like. A match FLAGS CONTENT FOR REVIEW BY TRAINED STAFF; it is not a diagnosis.
 * Where a phrase is ambiguous the rule leans toward escalation (e.g. "I want to die" is moderate, one step above
 * the strict C-SSRS "wish to be dead" reading), except where everyday wellness-app text would constantly trip
 * it ("I took my pills", "cutting carbs", "5 kms"): those are excluded explicitly (see rules-context idioms).
 */
export interface RiskRule {
  readonly id: string;
  readonly category: RiskCategory;
  readonly tier: Tier;
  readonly pattern: RegExp;
  /** Often hyperbole ("just kill me now"): with a laughter marker and no true-risk match it is not counted. */
  readonly prone?: boolean;
  /** Ambiguous alone ("wrote a note"): counts only when the text has another risk signal for the same subject. */
  readonly needsContext?: boolean;
  /** Slang that is first person by construction ("kms"). */
  readonly selfOnly?: boolean;
}

const rule = (
  id: string,
  category: RiskCategory,
  tier: Tier,
  source: string,
  flags: Partial<Pick<RiskRule, 'prone' | 'needsContext' | 'selfOnly'>> = {},
): RiskRule => ({
  id,
  category,
  tier,
  pattern: compile(source),
  ...flags,
});

/** Future / decided framing that turns ideation into intent. */
const INTENT_PREFIX = String.raw`\b(?:(?:i|she|he|they|we|u|you)(?:'ll| will)|ill|i'ma|ima|imma|will|(?:${I_AM} |she's |he's |they're |she is |he is |they are )?(?:finally |really |actually |definitely |just )?(?:going to|gonna|gunna|finna|about to|bout to|ready to|planning to|planning on|plan to|intend to|(?:(?:i |we )?have |i've |ive |we've )?decided to))`;
const INTENT_FILLER = String.raw`(?: (?:finally|really|actually|just|definitely|try to|go and))*`;
const STRONG_ACTION = String.raw`(?:kill(?:ing)? ${REFL}|kms|kys|end(?:ing)? ${POSS} (?:own )?life|end(?:ing)? it all|end(?:ing)? everything|end(?:ing)? it\b(?! (?:with|between))|end(?:ing)? things\b(?! (?:with|between))|take ${POSS} (?:own )?life|unalive(?: ${REFL})?|commit ${SUICIDE}|${SUICIDE}|overdose|od\b|hang ${REFL}|shoot ${REFL}|slit ${POSS} wrists?|jump (?:off|from) (?:a|the|that) (?:bridge|building|roof|cliff|balcony|overpass)|not (?:be )?(?:here|alive) (?:tomorrow|anymore|much longer))`;
/** "I'm" or a third person: "she's on the bridge right now" is an act in progress too (reported). */
const PERSON = String.raw`(?:friend|bestie|sister|brother|son|daughter|mom|mum|dad|partner|boyfriend|girlfriend|bf|gf|wife|husband|roommate|cousin|kid|child)`;
const WHO_IS = String.raw`(?:${I_AM}|she's|he's|they're|shes|hes|theyre|(?:she|he) is|they are|${PERSON}(?:'s| is))`;
const WEAK_ACTION = String.raw`(?:do it|go through with it|jump|be gone|disappear|say goodbye)\b`;

export const RISK_RULES: readonly RiskRule[] = [
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

  // ── intent, plan, preparatory acts → high ──────────────────────────────────────────────────────────────
  rule('intent.strong', 'intent', 'high', String.raw`${INTENT_PREFIX}${INTENT_FILLER} ${STRONG_ACTION}`),
  rule(
    'intent.decided_to_die',
    'intent',
    'high',
    String.raw`\b(?:(?:(?:i |we )?have |i've |ive )?decided|planning|plan|intend(?:ing)?) to di+e+\b`,
  ),
  rule('intent.weak', 'intent', 'high', String.raw`${INTENT_PREFIX}${INTENT_FILLER} ${WEAK_ACTION}`, {
    needsContext: true,
  }),
  rule(
    'intent.not_be_here',
    'intent',
    'high',
    String.raw`\b(?:won't|wont|will not) be (?:alive|here|around) (?:much longer|anymore|any more|for (?:much )?long|to see)\b|\bthis is (?:my )?goodbye\b|\bthis is my (?:last|final) (?:message|post|entry|note)\b|\bby the time (?:you|anyone|someone|they) (?:read|reads|see|sees|find|finds) this\b`,
  ),
  rule(
    'intent.farewell',
    'intent',
    'high',
    String.raw`\b(?:if|when) (?:i|${I_AM}) (?:disappear|die|gone|not here|don't wake up|no longer here)\b[^.!?\n]{0,25}?\b(?:don't be sad|don't blame yourself|it's not your fault|it isn't your fault|i'm sorry|please take care of|i love you)\b`,
  ),
  rule(
    'intent.not_be_here_weak',
    'intent',
    'high',
    String.raw`\b(?:won't|wont|will not) be here (?:tomorrow|next week)\b`,
    { needsContext: true },
  ),
  rule(
    'plan.explicit',
    'plan',
    'high',
    String.raw`\bplan(?:ned|ning)? (?:out )?(?:how|when|where) (?:i(?:'m| am|'ll| will)? (?:going to |gonna )?)?(?:to )?(?:do it|die|end it|kill ${REFL}|${SUICIDE})\b|\bknow (?:exactly )?(?:how|where|when) (?:i(?:'ll| will|'d| would|'m going to|'m gonna) )?(?:do it|end it|kill ${REFL})\b|\b${SUICIDE} plan\b|\bplan to (?:kill ${REFL}|end (?:it all|it|${POSS} life)|${SUICIDE})\b|\ba plan to (?:die|end (?:it|my life)|kill ${REFL})\b`,
  ),
  rule(
    'plan.have_a_plan',
    'plan',
    'high',
    String.raw`\b(?:i )?(?:have|got|made|making|came up with) a plan\b(?! (?:for|to (?:eat|cook|train|run|lose|gain|work|study|get (?:fit|healthy)|meal)))|\b(?:picked|chose|chosen|set) (?:a |the )?(?:date|day|time|place|spot)\b`,
    { needsContext: true },
  ),
  rule(
    'plan.research',
    'plan',
    'high',
    String.raw`\b(?:googled?|googling|looked up|looking up|searched|searching|research(?:ed|ing)?|read up on)(?: for)? (?:ways|how|the best way|painless ways|methods|the easiest way|the quickest way) (?:to )?(?:die|kill ${REFL}|end (?:it|my life)|overdose|od|${SUICIDE}|hang)\b|\bhow (?:many|much) (?:\w+ )?(?:${PILLS}|mg|of (?:these|them|my))\b[^.!?\n]{0,25}?(?:to die|to kill|would it take|does it take|it takes|to overdose|is (?:lethal|fatal|enough))|\b(?:lethal|fatal) dose\b|\bpainless(?:est)? way(?:s)? to (?:die|go)\b`,
  ),
  rule(
    'prep.note',
    'preparatory_act',
    'high',
    String.raw`\b(?:wrote|written|writing|write|left|leaving|finished|drafted|drafting) (?:a |my |the )?(?:${SUICIDE}|goodbye|farewell|final|last) (?:notes?|letters?|messages?)\b|\b${SUICIDE} (?:notes?|letters?)\b`,
  ),
  rule(
    'prep.note_ambiguous',
    'preparatory_act',
    'high',
    String.raw`\b(?:wrote|written|writing|left|leaving|finished) (?:a|the|my|some) (?:notes?|letters?)\b`,
    { needsContext: true },
  ),
  rule(
    'prep.giving_away',
    'preparatory_act',
    'high',
    String.raw`\b(?:giv(?:e|ing|en)|gave) (?:away )?(?:all )?(?:of )?my (?:things|stuff|belongings|possessions) away\b|\b(?:giv(?:e|ing|en)|gave) away (?:all )?(?:of )?my (?:things|stuff|belongings|possessions|(?:favou?rite|most precious) (?:things|stuff))\b`,
  ),
  rule(
    'prep.giving_away_item',
    'preparatory_act',
    'high',
    String.raw`\b(?:giv(?:e|ing|en)|gave) away my (?:cat|dog|pets?|guitar|games|books|clothes|jewelry|jewellery)\b|\bf(?:i|ou)nd(?:ing)? (?:a )?(?:new )?home for my (?:cat|dog|pets?)\b`,
    { needsContext: true },
  ),
  rule(
    'prep.means',
    'preparatory_act',
    'high',
    String.raw`\b(?:bought|got|purchased|ordered|have|found|tied|made) (?:a |some |the |my )?(?:rope|noose)\b|\b(?:sav(?:ed|ing)|stockpil(?:ed|ing|e)|hoard(?:ed|ing)|stash(?:ed|ing)?)(?: up)? (?:all )?(?:of )?(?:my |some |enough |a bunch of |the )?(?:\w+ )?${PILLS}\b|\benough ${PILLS} to (?:die|kill|end|do it|overdose|od|not wake up)\b|\b${PILLS} (?:saved|stashed|stockpiled|hidden|counted out|lined up|laid out)\b|\b(?:counted|lined|laid) (?:out|up) (?:all )?(?:the |my )?${PILLS}\b`,
  ),
  rule('prep.funeral', 'preparatory_act', 'moderate', String.raw`\bplann?(?:ed|ing)? (?:out )?my (?:own )?funeral\b`),
  rule(
    'prep.means_ambiguous',
    'preparatory_act',
    'high',
    String.raw`\b(?:have|got|had) enough ${PILLS}\b|\b(?:bought|got|buying|getting|ordered) (?:a |some )?(?:gun|razor blades?|blades|a blade|charcoal|rat poison|poison)\b`,
    { needsContext: true },
  ),
  rule(
    'prep.goodbyes',
    'preparatory_act',
    'high',
    String.raw`\b(?:said|saying|say) (?:my )?goodbyes?\b|\b(?:wrote|sent|texted|writing|sending) (?:goodbye|farewell) (?:messages|texts|letters|notes)\b|\b(?:put|putting|got|getting) (?:my )?affairs in order\b|\b(?:wrote|writing|updated|made) (?:a|my) will\b`,
    { needsContext: true },
  ),

  // ── active ideation, self-harm, method, past behaviour → moderate ─────────────────────────────────────────
  rule('ideation.kill_self', 'active_ideation', 'moderate', String.raw`\bkill(?:ing|s)? ${REFL}\b`),
  rule('ideation.kms', 'active_ideation', 'moderate', String.raw`(?<![\d.,] ?)\bk\.?m\.?s\b`, { selfOnly: true }),
  rule(
    'ideation.kys_self',
    'active_ideation',
    'moderate',
    String.raw`\b(?:i|${I_AM}|i'll|ima|imma|i'ma)(?: just)? (?:gonna|going to|wanna|want to|should|might|could|will|finna|bout to|about to|need to|may as well|might as well)(?: just)? kys\b|\btime to kys\b`,
    { selfOnly: true },
  ),
  rule(
    'ideation.want_to_die',
    'active_ideation',
    'moderate',
    String.raw`\b(?:wants?|wanted|wanting|wnt|wan|wamt|wantt)(?: to| 2| too) di+e+\b|\bwann?a di+e+\b|\bwant(?:s|ed|ing)? to be dead\b|\btell(?:s|ing)? me to (?:end it|die)\b|\bdo something (?:to ${REFL}|drastic)\b|\b(?:i|she|he) should (?:just )?di+e+\b|\bdeserves? to di+e+\b`,
  ),
  rule(
    'ideation.suicidal',
    'active_ideation',
    'moderate',
    String.raw`\bsu+i?[cs]+i?d+[ie]?a+l+\b|\bsu+i?[cs]+i?dle\b|\b${SUICIDE}(?:al)? (?:thoughts?|ideation|feelings|urges)\b`,
  ),
  rule(
    'ideation.thoughts',
    'active_ideation',
    'moderate',
    String.raw`\b(?:think|thinks|thinking|thought|thoughts|considering|considered|contemplating|ideation)(?: about| of)?(?: just| simply| maybe)? (?:${SUICIDE}|ending (?:it all|it|${POSS} (?:own )?life|things)|killing ${REFL})\b`,
  ),
  rule(
    'ideation.end_life',
    'active_ideation',
    'moderate',
    String.raw`\bend(?:ing)? ${POSS} (?:own )?life\b|\bend(?:ing)? it all\b|\btak(?:e|ing) ${POSS} (?:own )?life\b(?! back| in )`,
  ),
  rule(
    'ideation.slang',
    'active_ideation',
    'moderate',
    String.raw`\bun-?aliv(?:e|ing)\b|\b(?:sewer ?slide|su1c1de|s[*]icide|sui[*]ide|suic[*]de|self(?:-| )?delet(?:e|ion|ing))\b|\bcommit(?:ting)? ${SUICIDE}\b|\b(?:want|wanna|wants) to ${SUICIDE}\b`,
  ),
  rule('ideation.ready_to_die', 'intent', 'high', String.raw`\b${I_AM} (?:ready|prepared) to (?:die|go|end it)\b`),
  rule(
    'selfharm.explicit',
    'self_harm',
    'moderate',
    String.raw`\b(?:cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|hit|hitting|scratch(?:ing)?|harm|harming|punish(?:ing)?|starv(?:e|ing)|bruis(?:e|ing)) ${REFL}\b|\bself(?:-| )?harm(?:ing|ed)?\b|\bself(?:-| )?injur(?:y|e|ing)\b|\bnssi\b`,
  ),
  rule(
    'selfharm.cutting',
    'self_harm',
    'moderate',
    String.raw`\b(?:cutting|cut) again\b|\bstarted cutting\b|\b(?:cut|cutting|slic(?:e|ing)|carv(?:e|ing)) (?:my |her |his )?(?:wrists?|thighs?|forearms?|skin)\b|\b(?:urge|urges|want|wanna|need) to (?:cut|self(?:-| )?harm|hurt ${REFL})\b|\brelaps(?:e|ed|ing) (?:on |into )?(?:self(?:-| )?harm|sh|cutting)\b|\bsh (?:again|relapse|urges)\b|\brazors? (?:blades? )?(?:on|to|against) (?:my|her|his) (?:skin|arms?|wrists?|thighs?)\b`,
  ),
  rule(
    'method.overdose',
    'method',
    'moderate',
    String.raw`\boverdos(?:e|ing)\b|\b(?:oding|od'ing)\b|\b(?:to|gonna|going to|wanna|want to|might|could|just) od\b|\btak(?:e|ing) (?:all (?:of )?(?:my|the|these|those)|a (?:whole )?bottle of|the (?:whole|entire) bottle(?: of)?|a (?:bunch|handful|lot) of|too many|every(?: single)? one of (?:my|the|these)) (?:\w+ )?${PILLS}?`,
  ),
  rule(
    'method.other',
    'method',
    'moderate',
    String.raw`\bhang(?:ing)? ${REFL}\b|\bnoose\b|\bjump(?:ing)? (?:off|from|in front of) (?:a|the|that|this) (?:bridge|building|roof|cliff|balcony|overpass|train|bus|truck|car|window|tower|parking garage)\b|\b(?:step|walk|stepping|walking|throw ${REFL}|throwing ${REFL}) in front of (?:a|the) (?:train|bus|truck|car)\b|\bslit(?:ting)? ${POSS} wrists?\b|\bshoot(?:ing)? ${REFL}\b|\b(?:gun|pistol) (?:to|against|in) ${POSS} (?:head|mouth)\b|\bdrown(?:ing)? ${REFL}\b|\bcarbon monoxide\b|\bdrink(?:ing)? bleach\b|\bcrash (?:my|her|his) car (?:on purpose|into)\b|\bdrive (?:my car )?(?:off|into) (?:a|the) (?:cliff|bridge|wall|tree|river|oncoming)\b`,
  ),
  rule(
    'past.attempt',
    'past_behavior',
    'moderate',
    String.raw`\b(?:tried|attempted|attempting|try|trying) (?:to )?(?:kill ${REFL}|${SUICIDE}|end ${POSS} (?:own )?life|take ${POSS} (?:own )?life|overdose|od|hang ${REFL}|unalive)\b|\b${SUICIDE} attempts?\b|\bkilled myself\b|\bi (?:overdosed|od'?d|oded)\b`,
  ),

  // ── passive death wish, hopelessness → low ───────────────────────────────────────────────────────────────
  rule(
    'passive.wish_dead',
    'passive_death_wish',
    'low',
    String.raw`\bwish(?:es|ed|ing)? (?:i|she|he|they)(?: was| were| could be| would be|'d be)? dead\b|\bwish(?:es|ed|ing)? (?:i|she|he) (?:was|were|had been|had) (?:never born|gone)\b|\bwish(?:ed|ing)? i (?:wasn't|weren't|was not|had never been|was never) (?:born|alive|here)\b|\bwish(?:ed|ing)? i (?:didn't|did not|could just|could|would just) (?:exist|not exist|stop existing|disappear|vanish|die|not be here)\b|\blet me die\b`,
  ),
  rule(
    'passive.better_off',
    'hopelessness',
    'low',
    String.raw`\b(?:better off|happier|fine|better) (?:without me|if i (?:wasn't|weren't|was not|were not) (?:here|around|alive))\b|\bbetter off (?:dead|gone)\b|\bbetter off if i (?:was|were|wasn't|weren't|died) ?(?:dead|gone|never born|here|around)?\b|\b(?:no ?one|nobody) would (?:even )?(?:care|notice|miss me)(?: (?:if|when) i (?:died|was gone|were gone|disappeared|wasn't here|was dead|killed myself|left))\b|\b(?:no ?one|nobody) would (?:even )?miss me\b|\b(?:no ?one|nobody) (?:cares|would care|gives a \w+) (?:if|whether) i (?:live|die|lived|died)\b`,
  ),
  rule(
    'passive.not_wake_up',
    'passive_death_wish',
    'low',
    String.raw`\b(?:hope|hoping|wish|wishing|want|wanting|pray|praying|rather)\b[^.!?\n]{0,20}?\b(?:not|never|don't|won't|wouldn't|do not) wake up\b(?! (?:late|early|at|before|in time|the|him|her|them|my))|\b(?:sleep|go to sleep|fall asleep)\b[^.!?\n]{0,12}?\b(?:and )?(?:never|not) wake up\b|\bsleep forever\b|\bnot wake up (?:tomorrow|again|ever)\b|\b(?:don't|do not|dont) (?:ever )?want to wake up\b(?! (?:early|late|at|before|so|this|for|in))`,
  ),
  rule(
    'passive.disappear',
    'passive_death_wish',
    'low',
    String.raw`\b(?:want|wanna|wish i could|could just|like to|need to)(?: to)?(?: just)? (?:disappear|vanish|stop existing|not exist|cease to exist)\b|\bdisappear forever\b`,
  ),
  rule(
    'passive.not_live',
    'passive_death_wish',
    'low',
    String.raw`\b(?:don't|do not|dont|doesn't|does not|no longer) wants? (?:to )?(?:live|be alive|exist|be here|go on)(?: anymore| any more)?\b|\b(?:don't|do not|dont) know (?:if|whether) i want to (?:live|be alive|be here|keep going|go on)\b|\bnot sure (?:if )?i want to (?:live|be alive|be here|keep going|go on)\b|\btired of (?:living|being alive|life|existing|being here)\b|\bthink(?:ing)? (?:about|of) (?:death|dying)\b|\b(?:shouldn't|should not|don't deserve to|do not deserve to) (?:be alive|live|exist|be here)\b|\b(?:don't|do not|can't|cannot) see (?:myself|me) (?:being )?(?:around|alive|here) (?:next|in|by|much)\b|\bwant (?:it all|everything|this) to (?:stop|end)(?: forever)?\b`,
  ),
  rule(
    'passive.hyperbole',
    'passive_death_wish',
    'low',
    String.raw`\b(?:just|someone|somebody|please|pls|plz)(?: \w+)? (?:kill|shoot) me\b|\b(?:kill|shoot) me now\b|\b(?:i'd|i would|id) rather (?:be dead|die)\b|\bdead inside\b|\bfeel(?:s|ing)? like dying\b`,
    { prone: true },
  ),
  rule(
    'hope.hopeless',
    'hopelessness',
    'low',
    String.raw`\bhopeless(?:ness)?\b|\bno (?:reason|point) (?:in |of )?(?:to |for me to )?(?:living|live|keep going|go on|going on|stay|be here|exist|existing|life|anymore|any ?more|anything)\b|\b(?:what's|whats|what is) the point (?:in |of )?(?:living|life|anything|going on|it all|anymore|existing|trying)\b|\bnothing (?:left )?to live for\b|\b(?:life is(?:n't| not)|not) worth living\b|\blife (?:isn't|is not|ain't) worth it\b`,
  ),
  rule(
    'hope.cant_go_on',
    'hopelessness',
    'low',
    String.raw`\b(?:can't|cant|cannot|can not) (?:go on|keep going(?! to)|keep living|do this any ?more|take (?:it|this) any ?more|handle (?:this|it|life) any ?more|live like this)\b|\bno way out\b|\b(?:can't|cant|cannot) see a way out\b`,
  ),
  rule(
    'hope.burden',
    'hopelessness',
    'low',
    String.raw`\b(?:${I_AM}|i feel like i'm|i feel like im|feel like)(?: just)?(?: a| such a| nothing but a) burden\b|\bburden (?:to|on) (?:everyone|everybody|my family|the people|my friends|you all)\b|\b(?:${I_AM}|i feel|feel|feeling)(?: so| completely| totally| utterly| just)? (?:worthless|like a waste of space)\b`,
  ),
];
