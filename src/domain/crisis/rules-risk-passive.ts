import { I_AM } from './patterns';
import { rule, type RiskRule } from './risk-rule';

/** Passive death wish and hopelessness (low). */
export const PASSIVE_RULES: readonly RiskRule[] = [
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
