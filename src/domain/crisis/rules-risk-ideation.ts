import { I_AM, PILLS, POSS, REFL, SUICIDE } from './patterns';
import { rule, type RiskRule } from './risk-rule';

/** Active ideation, self-harm, method and past behaviour (moderate; "ready to die" is intent, high). */
export const IDEATION_RULES: readonly RiskRule[] = [
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
];
