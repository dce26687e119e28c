/**
 * Crisis screening of journal text: a pure, deterministic, versioned rule pass that FLAGS CONTENT FOR REVIEW
 * BY TRAINED STAFF (never a diagnosis), plus per-locale crisis resources and safe-messaging wording.
 * No I/O and no Node built-ins: safe to import from Temporal workflow code.
 */
export * from './types';
export { screenText } from './screen';
export {
  CRISIS_RESOURCES,
  crisisResourcesFor,
  formatResources,
  safeMessage,
  supportScript,
  type CrisisResource,
  type CrisisResourceSet,
} from './resources';
export { RISK_RULES, type RiskRule } from './rules-risk';
export { IDIOM_RULES, type ContextRule } from './rules-context';
export { normalise } from './patterns';
