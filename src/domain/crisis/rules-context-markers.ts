import type { ContextRule } from './context-rule';
import { compile } from './patterns';

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
