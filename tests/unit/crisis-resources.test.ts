import { describe, expect, it } from 'vitest';
import {
  CRISIS_RESOURCES,
  crisisResourcesFor,
  safeMessage,
  screenText,
  supportScript,
  TIERS,
} from '../../src/domain/crisis';

const LOCALES = ['en-US', 'en-GB', 'en-CA', 'en-AU', 'de-DE', undefined] as const;
/** Method words that must never appear in automated wording (safe-messaging guidance). */
const METHOD_WORDS =
  /\b(pills?|tablets?|overdos\w*|rope|noose|hang\w*|bridge|jump\w*|cut\w*|blades?|razor|knife|guns?|shoot\w*|poison\w*|bleach|wrists?|train|ledge|roof|drown\w*|carbon monoxide)\b/i;

describe('crisis resources', () => {
  it('has the expected numbers per locale', () => {
    expect(crisisResourcesFor('en-US').resources.map((r) => r.contact)).toEqual(['988', '741741']);
    expect(crisisResourcesFor('en-US').resources[1]!.action).toContain('HOME to 741741');
    expect(crisisResourcesFor('en-GB').resources[0]!.contact).toBe('116 123');
    expect(crisisResourcesFor('en-CA').resources[0]!.contact).toBe('9-8-8');
    expect(crisisResourcesFor('en-AU').resources[0]!.contact).toBe('13 11 14');
    expect(crisisResourcesFor('de-DE').resources[0]!.contact).toBe('findahelpline.com');
    expect(crisisResourcesFor('de-DE').emergency).toBe('your local emergency number');
  });

  it('falls back to en-US with no locale, maps regions, and sends unknown regions to the international table', () => {
    expect(crisisResourcesFor().locale).toBe('en-US');
    expect(crisisResourcesFor('').locale).toBe('en-US');
    expect(crisisResourcesFor('en').locale).toBe('en-US');
    expect(crisisResourcesFor('en_gb').locale).toBe('en-GB');
    expect(crisisResourcesFor('fr-CA').locale).toBe('en-CA');
    expect(crisisResourcesFor('es-419').locale).toBe('intl');
    expect(crisisResourcesFor('ja-JP').locale).toBe('intl');
    expect(crisisResourcesFor('fr').locale).toBe('intl');
  });
});

describe('safe messaging', () => {
  it.each(LOCALES.flatMap((l) => TIERS.map((t) => [t, l] as const)))(
    '%s / %s: supportive, no method words, always the resources',
    (tier, locale) => {
      const msg = safeMessage(tier, locale);
      expect(msg).not.toMatch(/commit/i);
      expect(msg).not.toMatch(METHOD_WORDS);
      for (const r of crisisResourcesFor(locale).resources) expect(msg).toContain(r.contact);
    },
  );

  it('tells an imminent author to contact emergency services now', () => {
    expect(safeMessage('imminent', 'en-US')).toMatch(/call 911 now/);
    expect(safeMessage('imminent', 'en-GB')).toMatch(/call 999 now/);
    expect(safeMessage('imminent', 'en-AU')).toMatch(/call 000 now/);
    expect(safeMessage('imminent', 'de-DE')).toMatch(/local emergency number now/);
    expect(safeMessage('moderate', 'en-US')).not.toMatch(/911/);
  });

  it('gives third-party reports a support script in the requested locale, urgent when their risk is high', () => {
    const r = screenText("My sister said she's going to kill herself tonight.", { locale: 'en-GB' });
    expect(r).toMatchObject({ tier: 'none', thirdParty: true, thirdPartyTier: 'high' });
    expect(r.supportScript).toContain('116 123');
    expect(r.supportScript).toMatch(/call 999 now/);
    const calm = supportScript('moderate', 'en-US');
    expect(calm).not.toMatch(/911 now/);
    for (const s of [r.supportScript!, calm]) {
      expect(s).not.toMatch(/commit/i);
      expect(s).not.toMatch(METHOD_WORDS);
      expect(s).toMatch(/ask them directly/);
    }
  });

  it('keeps the table free of "committed suicide" wording', () => {
    expect(JSON.stringify(CRISIS_RESOURCES)).not.toMatch(/commit/i);
  });
});
