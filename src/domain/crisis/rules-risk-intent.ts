import { I_AM, PILLS, POSS, REFL, SUICIDE } from './patterns';
import { rule, type RiskRule } from './risk-rule';

/** Future / decided framing that turns ideation into intent. */
const INTENT_PREFIX = String.raw`\b(?:(?:i|she|he|they|we|u|you)(?:'ll| will)|ill|i'ma|ima|imma|will|(?:${I_AM} |she's |he's |they're |she is |he is |they are )?(?:finally |really |actually |definitely |just )?(?:going to|gonna|gunna|finna|about to|bout to|ready to|planning to|planning on|plan to|intend to|(?:(?:i |we )?have |i've |ive |we've )?decided to))`;
const INTENT_FILLER = String.raw`(?: (?:finally|really|actually|just|definitely|try to|go and))*`;
const STRONG_ACTION = String.raw`(?:kill(?:ing)? ${REFL}|kms|kys|end(?:ing)? ${POSS} (?:own )?life|end(?:ing)? it all|end(?:ing)? everything|end(?:ing)? it\b(?! (?:with|between))|end(?:ing)? things\b(?! (?:with|between))|take ${POSS} (?:own )?life|unalive(?: ${REFL})?|commit ${SUICIDE}|${SUICIDE}|overdose|od\b|hang ${REFL}|shoot ${REFL}|slit ${POSS} wrists?|jump (?:off|from) (?:a|the|that) (?:bridge|building|roof|cliff|balcony|overpass)|not (?:be )?(?:here|alive) (?:tomorrow|anymore|much longer))`;
const WEAK_ACTION = String.raw`(?:do it|go through with it|jump|be gone|disappear|say goodbye)\b`;

/** Intent, plan and preparatory acts (high). */
export const INTENT_PLAN_RULES: readonly RiskRule[] = [
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
];
