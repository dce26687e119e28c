import type { Tier } from './types';
import { tierAtLeast } from './types';

/**
 * Per-locale crisis resources and safe-messaging wording for any automated text the app sends after a
 * screening. Follows common safe-messaging guidance: supportive, hopeful, no method details, never
 * "committed suicide" (say "died by suicide"), always encourage reaching out and always list resources.
 * Numbers must be re-checked with the clinical lead before release; the table is data, not code.
 */

export interface CrisisResource {
  /** Service name, e.g. "988 Suicide & Crisis Lifeline". */
  name: string;
  /** What to do, e.g. "call or text 988". */
  action: string;
  /** The number, short code or address a test or a template can look for. */
  contact: string;
  hours?: string;
  url?: string;
}

export interface CrisisResourceSet {
  /** The table key that was used: 'en-US', 'en-GB', 'en-CA', 'en-AU' or 'intl'. */
  locale: string;
  /** Emergency services, e.g. "911", or wording for "your local emergency number". */
  emergency: string;
  resources: readonly CrisisResource[];
}

export const CRISIS_RESOURCES: Readonly<Record<string, CrisisResourceSet>> = {
  'en-US': {
    locale: 'en-US',
    emergency: '911',
    resources: [
      {
        name: '988 Suicide & Crisis Lifeline',
        action: 'call or text 988, or chat at 988lifeline.org',
        contact: '988',
        hours: '24/7',
        url: 'https://988lifeline.org',
      },
      {
        name: 'Crisis Text Line',
        action: 'text HOME to 741741',
        contact: '741741',
        hours: '24/7',
        url: 'https://www.crisistextline.org',
      },
    ],
  },
  'en-GB': {
    locale: 'en-GB',
    emergency: '999',
    resources: [
      {
        name: 'Samaritans',
        action: 'call 116 123 for free',
        contact: '116 123',
        hours: '24/7',
        url: 'https://www.samaritans.org',
      },
      {
        name: 'Shout',
        action: 'text SHOUT to 85258',
        contact: '85258',
        hours: '24/7',
        url: 'https://giveusashout.org',
      },
    ],
  },
  'en-CA': {
    locale: 'en-CA',
    emergency: '911',
    resources: [
      {
        name: '9-8-8 Suicide Crisis Helpline',
        action: 'call or text 9-8-8',
        contact: '9-8-8',
        hours: '24/7',
        url: 'https://988.ca',
      },
    ],
  },
  'en-AU': {
    locale: 'en-AU',
    emergency: '000',
    resources: [
      {
        name: 'Lifeline',
        action: 'call 13 11 14',
        contact: '13 11 14',
        hours: '24/7',
        url: 'https://www.lifeline.org.au',
      },
    ],
  },
  intl: {
    locale: 'intl',
    emergency: 'your local emergency number',
    resources: [
      {
        name: 'Find A Helpline',
        action: 'find a free, confidential helpline in your country at findahelpline.com',
        contact: 'findahelpline.com',
        url: 'https://findahelpline.com',
      },
    ],
  },
};

const REGION_TABLE: Readonly<Record<string, string>> = {
  US: 'en-US',
  GB: 'en-GB',
  UK: 'en-GB',
  CA: 'en-CA',
  AU: 'en-AU',
};

/**
 * The resources for a BCP 47 locale. No locale (or bare "en") falls back to en-US; a known region maps to its
 * table whatever the language ("fr-CA" → Canada); any other region gets the international table rather than
 * numbers that would not work there.
 */
export function crisisResourcesFor(locale?: string): CrisisResourceSet {
  const fallback = CRISIS_RESOURCES['en-US']!;
  if (!locale || !locale.trim()) return fallback;
  const parts = locale.trim().replace(/_/g, '-').split('-');
  const region = parts
    .slice(1)
    .find((p) => /^[a-z]{2}$/i.test(p))
    ?.toUpperCase();
  if (!region) return parts[0]?.toLowerCase() === 'en' ? fallback : CRISIS_RESOURCES.intl!;
  const key = REGION_TABLE[region];
  return (key ? CRISIS_RESOURCES[key] : undefined) ?? CRISIS_RESOURCES.intl!;
}

/** "988 Suicide & Crisis Lifeline: call or text 988, or chat at 988lifeline.org (24/7)" lines joined by "; ". */
export function formatResources(set: CrisisResourceSet): string {
  return set.resources.map((r) => `${r.name}: ${r.action}${r.hours ? ` (${r.hours})` : ''}`).join('; ');
}

function emergencyLine(set: CrisisResourceSet): string {
  return set.locale === 'intl' ? 'call your local emergency number' : `call ${set.emergency}`;
}

/**
 * Supportive wording for the author at a given tier. Never names a method, never says "committed", always
 * lists the locale's resources; for imminent it leads with contacting emergency services now.
 */
export function safeMessage(tier: Tier, locale?: string): string {
  const set = crisisResourcesFor(locale);
  const resources = formatResources(set);
  if (tier === 'imminent') {
    return (
      `Your safety matters most right now. If you are in danger or have hurt yourself, please ${emergencyLine(set)} now ` +
      `or go to the nearest emergency department. If you can, ask someone nearby to stay with you. ` +
      `You can also reach a trained crisis counselor right away: ${resources}. You are not alone, and help is available.`
    );
  }
  if (tier === 'high') {
    return (
      `We're really glad you told us, and we're concerned about your safety. Please reach out to a trained crisis ` +
      `counselor right now: ${resources}. If you are in immediate danger, ${emergencyLine(set)}. ` +
      `If you can, stay with someone you trust and keep anything you could use to hurt yourself out of reach. ` +
      `A member of our care team is being alerted. You don't have to go through this alone.`
    );
  }
  if (tier === 'moderate') {
    return (
      `Thank you for sharing something so hard. What you're feeling matters, and you don't have to face it alone. ` +
      `Talking to someone can help - a friend, a family member, or a trained counselor. Free, confidential support ` +
      `is available any time: ${resources}. A member of our care team will reach out to you.`
    );
  }
  if (tier === 'low') {
    return (
      `It sounds like things have been really heavy lately. Thank you for putting it into words. You deserve support, ` +
      `and reaching out to someone you trust can help. If you ever have thoughts of suicide, free, confidential ` +
      `support is available: ${resources}.`
    );
  }
  return `Thank you for checking in. If things ever feel like too much, you don't have to go through it alone - support is available any time: ${resources}.`;
}

/**
 * How to support someone else (for third-party reports). Urgent wording when the reported risk is high or
 * imminent. Always lists the locale's resources; never names a method.
 */
export function supportScript(thirdPartyTier: Tier, locale?: string): string {
  const set = crisisResourcesFor(locale);
  const resources = formatResources(set);
  const urgent = tierAtLeast(thirdPartyTier, 'high')
    ? `If they are in immediate danger, ${emergencyLine(set)} now and, if it is safe, stay with them until help arrives. `
    : '';
  return (
    `It sounds like you're worried about someone, and it's good that you're paying attention. ${urgent}` +
    `Some things that help: ask them directly and calmly whether they are thinking about suicide - asking does not ` +
    `put the idea in their head. Listen without judging or trying to fix everything, and tell them you care. ` +
    `Don't promise to keep it a secret. Help them connect with support and offer to make the call or text with them: ` +
    `${resources}. If you are ever unsure, ${emergencyLine(set)}. Supporting someone is hard - please look after ` +
    `yourself too, and reach out to the same services for support of your own.`
  );
}
