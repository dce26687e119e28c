/**
 * Types of the crisis-screening rule pass over journal text.
 *
 * IMPORTANT: this is NOT a diagnosis and NOT a validated clinical instrument. The tiers are loosely anchored on
 * the categories of the C-SSRS screener, but the rule pass only FLAGS CONTENT FOR REVIEW BY TRAINED STAFF.
 * Automation may raise a tier, never lower or dismiss one; when unsure, the rules escalate.
 *
 * Everything here is plain data: the same text always gives the same result (no clock, no randomness, no I/O,
 * no Node built-ins), so the screener can run inside a Temporal workflow sandbox and results can be audited.
 */

/** Bump on any change to a rule, a word list or the combination logic: stored results name the rules that made them. */
export const RULE_VERSION = 'crisis-rules-1.2.0';

/** Ordered from least to most urgent. */
export const TIERS = ['none', 'low', 'moderate', 'high', 'imminent'] as const;
export type Tier = (typeof TIERS)[number];

/** Tiers that open a case, lowest first (the screener's `none` never does). */
export const CASE_TIERS = ['low', 'moderate', 'high', 'imminent'] as const satisfies readonly Tier[];
export type CaseTier = (typeof CASE_TIERS)[number];

/** A case's life: open (escalating) → acknowledged by a person → resolved (follow-ups) → closed. */
export const CASE_STATUSES = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** The more urgent of two tiers. */
export function maxTier(a: Tier, b: Tier): Tier {
  return tierRank(a) >= tierRank(b) ? a : b;
}

/** The less urgent of two tiers. */
export function minTier(a: Tier, b: Tier): Tier {
  return tierRank(a) <= tierRank(b) ? a : b;
}

/** True when `tier` is `min` or more urgent. */
export function tierAtLeast(tier: Tier, min: Tier): boolean {
  return tierRank(tier) >= tierRank(min);
}

/** Categories of risk rules (C-SSRS-like) and of the context rules that explain why something did not count. */
export type RiskCategory =
  | 'passive_death_wish' // low: "wish I was dead", "go to sleep and not wake up"
  | 'hopelessness' // low: "no reason to live", "better off without me"
  | 'active_ideation' // moderate: "want to kill myself", "kms", "suicidal"
  | 'self_harm' // moderate: non-suicidal self-injury
  | 'method' // moderate: a method mentioned without intent
  | 'past_behavior' // moderate: a past attempt ("tried to kill myself last year")
  | 'intent' // high: "I'm going to kill myself"
  | 'plan' // high: "I have a plan", researching a method
  | 'preparatory_act' // high: "wrote a goodbye note", "bought a rope", "saved up pills"
  | 'act_in_progress'; // imminent: "I've taken the pills", "I'm on the bridge now"

export type ContextCategory =
  | 'timing' // "tonight", "this weekend": raises ideation / method / self-harm to high in the same sentence
  | 'combination' // synthetic match produced by a combination rule
  | 'idiom' // "killed it", "dying to try", "dead tired": masked before risk rules run
  | 'hyperbole_marker' // "lol", "lmao", "😂": may lower hyperbole-prone low-tier matches only
  | 'echo' // "so do I" after a third-party report
  | 'bereavement'; // "died by suicide", "killed himself": a reported death, masked like an idiom

export type Category = RiskCategory | ContextCategory;

/** Whose risk a match is about. 'other' = directed at the reader ("kill yourself"), not a report about anyone. */
export type Subject = 'self' | 'third_party' | 'other' | 'none';

/**
 * Why a match contributes what it does:
 * - counted: contributes its tier to the author's tier (or, for a third-party subject, to `thirdPartyTier`)
 * - negated: inside a negation ("I would never ..."); high/imminent rules still count as low, the rest as none
 * - past: framed as the past ("I used to ..."); capped at low
 * - third_party: about someone else; counts toward `thirdPartyTier`, not the author's tier
 * - directed_at_other: aimed at the reader ("you should kill yourself"); not the author's risk
 * - hyperbole: a hyperbole-prone low-tier match in text with a laughter marker and no true-risk match
 * - needs_context: an ambiguous act ("wrote a note", "said goodbye") with no other risk signal in the text
 * - context: idiom, timing, laughter or echo markers; they never add a tier on their own
 */
export type Disposition =
  'counted' | 'negated' | 'past' | 'third_party' | 'directed_at_other' | 'hyperbole' | 'needs_context' | 'context';

/** Half-open UTF-16 offsets into the ORIGINAL text: `text.slice(start, end)` is the matched wording. */
export interface Span {
  start: number;
  end: number;
}

export interface RuleMatch {
  /** Stable rule id, e.g. `intent.kill_self`, `combo.ideation_timing`, `idiom.killed_it`. */
  rule: string;
  category: Category;
  /** The tier this match contributes (to the author's tier, or to `thirdPartyTier` for third-party matches). */
  tier: Tier;
  /** The tier the rule carries before negation, subject, hyperbole and context adjustments. */
  ruleTier: Tier;
  span: Span;
  subject: Subject;
  disposition: Disposition;
}

export interface ScreeningResult {
  /** The author's own tier: the most urgent counted self match. */
  tier: Tier;
  /** Every rule that fired (risk and context), sorted by span start then rule id. */
  matched: RuleMatch[];
  ruleVersion: string;
  /** True when the text reports risk about someone else ("my friend wants to die"). */
  thirdParty: boolean;
  /** The tier of the reported third-party risk ('none' when `thirdParty` is false). Not the author's tier. */
  thirdPartyTier: Tier;
  /** How to support the other person, with the locale's crisis resources; present only when `thirdParty`. */
  supportScript?: string;
}

export interface ScreenOptions {
  /** BCP 47 locale for the resources in `supportScript` (default en-US). */
  locale?: string;
}
