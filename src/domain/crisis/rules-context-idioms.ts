import type { ContextRule } from './context-rule';
import { compile, I_AM, SUICIDE } from './patterns';

const idiom = (id: string, source: string): ContextRule => ({
  id: id.includes('.') ? id : `idiom.${id}`,
  pattern: compile(source),
});

const LAUGH_AFTER = String.raw`(?=[^a-z]*(?:$|lol|lmf?ao|haha|hehe|rofl|😂|🤣|💀|😭|😆|😹|xd))`;

/** Idioms and hyperbole that must not flag, plus reported deaths; matched first and blanked out. */
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
