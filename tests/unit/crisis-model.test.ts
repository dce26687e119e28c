import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  featurize as featurizeWith,
  FEATURE_BUCKETS,
  UNKNOWN_WORD,
  words,
} from '../../src/domain/crisis/model/features';
import { conceptsOf } from '../../src/domain/crisis/model/lexicon';
import { type CrisisModel, scoreWithModel } from '../../src/domain/crisis/model/score';
import { CRISIS_MODEL, screenEntry, SCREENER_VERSION } from '../../src/domain/crisis/screen-entry';
import { RULE_VERSION } from '../../src/domain/crisis/types';

// The features as the trained model reads them (its vocabulary; any other word is the unknown word).
const known = new Set(CRISIS_MODEL.vocabulary);
const featurize = (text: string) => featurizeWith(text, known);

// A tiny hand-set model: one weight per threshold on the word "bridge", so scores are predictable.
const bridge = featurize('bridge').index;
const toy = (weight: number): CrisisModel => ({
  version: 'toy-1',
  vocabulary: CRISIS_MODEL.vocabulary,
  bias: { low: -2, moderate: -2, high: -2, imminent: -2 },
  buckets: [...bridge],
  weights: bridge.flatMap(() => [weight, weight, weight, weight]),
  thresholds: { low: 0.5, moderate: 0.6, high: 0.7, imminent: 0.9 },
  uncertainAt: 0.3,
});

describe('features', () => {
  it('reads words the same way across spellings of quotes, case and width', () => {
    expect(words('I’M on the BRIDGE now!!')).toEqual(["i'm", 'on', 'the', 'bridge', 'now']);
    expect(words('ｋｍｓ 😭')).toEqual(['kms', '😭']);
  });

  it('is deterministic, sorted, within the bucket range and L2-normalised', () => {
    const a = featurize('i took 30 of my pills');
    expect(featurize('i took 30 of my pills')).toEqual(a);
    expect([...a.index].sort((x, y) => x - y)).toEqual(a.index);
    expect(a.index.every((i) => i >= 0 && i < FEATURE_BUCKETS)).toBe(true);
    expect(Math.hypot(...a.value)).toBeCloseTo(1, 10);
    expect(featurize('')).toEqual({ index: [], value: [] });
  });
});

describe('unknown words', () => {
  // Random marker words, as tests and real entries carry (names, typos): none is in the vocabulary.
  const markers = Array.from(
    { length: 200 },
    (_, i) => `quokka${createHash('sha256').update(`m${i}`).digest('hex').slice(0, 8)}`,
  );
  const texts = [
    'I wrote a note and I am going to kill myself tonight',
    'I have been thinking about not being here anymore',
    'Had porridge for breakfast and walked the dog in the park.',
  ];

  it('are all read as one word, so which one it is cannot change a feature', () => {
    expect(markers.some((m) => known.has(m))).toBe(false);
    expect(known.has(UNKNOWN_WORD)).toBe(false);
    for (const text of texts) {
      const base = featurize(`${text} ${markers[0]}`);
      for (const m of markers) expect(featurize(`${text} ${m}`)).toEqual(base);
    }
  });

  it('cannot move a score or a tier: the same text with any of 200 random markers screens identically', () => {
    for (const text of texts) {
      const base = screenEntry(`${markers[0]} ${text} ${markers[1]}`);
      for (let i = 2; i < markers.length; i++) {
        const s = screenEntry(`${markers[i]} ${text} ${markers[i - 1]}`);
        expect({ tier: s.tier, scores: s.model.scores }).toEqual({ tier: base.tier, scores: base.model.scores });
      }
    }
  });

  it('keep their concept classes: an unseen number still reads as a quantity', () => {
    expect(known.has('9183') || known.has('7741')).toBe(false);
    expect(featurize('took 9183 pills')).toEqual(featurize('took 7741 pills'));
    // Same unknown word, but without the quantity class: different features.
    expect(featurize('took quokka pills')).not.toEqual(featurize('took 9183 pills'));
  });
});

describe('concept classes', () => {
  it('give words never seen together the same class features ("took 40 sertraline" ~ "swallowed thirty paracetamol")', () => {
    expect(conceptsOf('sertraline')).toContain('drug');
    expect(conceptsOf('40')).toContain('qty');
    expect(conceptsOf('swallowed')).toContain('ingest');
    const a = new Set(featurize('took 40 sertraline').index);
    const b = featurize('swallowed thirty paracetamol').index;
    // Words and word bigrams differ; the class unigrams, class bigrams and class pairs are shared.
    expect(b.filter((i) => a.has(i)).length).toBeGreaterThanOrEqual(6);
    expect(featurize('had porridge').index.filter((i) => a.has(i))).toEqual([]);
  });

  it("reads subjects and negation with the rules' own word lists", () => {
    expect(conceptsOf('she')).toContain('third');
    expect(conceptsOf('never')).toContain('neg');
    expect(conceptsOf("i'm")).toContain('self');
  });
});

describe('scoreWithModel', () => {
  it('turns scores into the most urgent tier whose threshold is reached', () => {
    expect(scoreWithModel(toy(0), 'a bridge').tier).toBe('none'); // sigmoid(-2) = 0.12
    const strong = scoreWithModel(toy(40), 'bridge');
    expect(strong.tier).toBe('imminent');
    expect(strong.uncertain).toBe(false);
  });

  it('sends text it is unsure about to low, marked uncertain, instead of none', () => {
    // Pick the weight so P(>= low) lands between uncertainAt (0.3) and the low threshold (0.5).
    const text = 'bridge';
    const x = featurize(text);
    const share = x.value.reduce((s, v) => s + v, 0);
    const s = scoreWithModel(toy((Math.log(0.4 / 0.6) + 2) / share), text);
    expect(s.scores.low).toBeGreaterThanOrEqual(0.3);
    expect(s.scores.low).toBeLessThan(0.5);
    expect(s).toMatchObject({ tier: 'low', uncertain: true });
  });

  it('flags nothing below the gate, whatever the urgent scores (no benign entry paged as imminent alone)', () => {
    // Every P(>= k) is about 0.4: past the old per-level imminent threshold (0.1), under the gate (0.5).
    const text = 'bridge';
    const share = featurize(text).value.reduce((sum, v) => sum + v, 0);
    const model = {
      ...toy((Math.log(0.4 / 0.6) + 2) / share),
      thresholds: { low: 0.6, moderate: 0.3, high: 0.2, imminent: 0.1 },
      uncertainAt: 0.5,
    };
    expect(scoreWithModel(model, text)).toMatchObject({ tier: 'none', uncertain: false });
    expect(scoreWithModel({ ...model, uncertainAt: 0.35 }, text)).toMatchObject({ tier: 'imminent', uncertain: false });
  });

  it('keeps P(tier >= k) from rising with k (ordinal consistency)', () => {
    const model = { ...toy(5), bias: { low: -3, moderate: -1, high: 0, imminent: 2 } };
    const s = scoreWithModel(model, 'bridge');
    expect(s.scores.moderate).toBeLessThanOrEqual(s.scores.low);
    expect(s.scores.high).toBeLessThanOrEqual(s.scores.moderate);
    expect(s.scores.imminent).toBeLessThanOrEqual(s.scores.high);
  });
});

describe('the trained model', () => {
  it('names its content: the version is a hash of its weights, bias and thresholds', () => {
    const { vocabulary, bias, buckets, weights, thresholds, uncertainAt } = CRISIS_MODEL;
    const digest = createHash('sha256')
      .update(JSON.stringify({ vocabulary, bias, buckets, weights, thresholds, uncertainAt }))
      .digest('hex')
      .slice(0, 8);
    expect(CRISIS_MODEL.version).toBe(`crisis-model-3-${digest}`);
    expect(SCREENER_VERSION).toBe(`${RULE_VERSION}+${CRISIS_MODEL.version}`);
  });

  it("scores the guide's anchors at their tier and everyday text below them", () => {
    const model = (text: string) => screenEntry(text).model;
    const anchors = {
      'I swallowed all my pills twenty minutes ago. Goodbye.': 'imminent',
      'standing on the bridge railing now, going to jump': 'imminent',
      'I keep cutting my arms when things get bad': 'moderate',
      'I wish I could go to sleep and never wake up': 'low',
    } as const;
    for (const [text, tier] of Object.entries(anchors)) expect(model(text).tier).toBe(tier);
    // Recall first puts the gate low (P(≥ low) ~0.09), so everyday text with risk-adjacent words (breakfast,
    // the dog, "death of me") is flagged for review; it still scores far below every anchor.
    const lowest = Math.min(...Object.keys(anchors).map((t) => model(t).scores.low));
    for (const text of [
      'Had porridge for breakfast and walked the dog in the park.',
      'This exam will be the death of me lol',
    ])
      expect(model(text).scores.low).toBeLessThan(lowest / 2);
    expect(model('Lovely walk by the river with my sister, then pasta and a film.').tier).toBe('none');
  });

  it('is deterministic for a given version', () => {
    const text = 'i have the pills lined up on the desk and i am done';
    expect(screenEntry(text)).toEqual(screenEntry(text));
  });
});

describe('screenEntry combines both signals for recall', () => {
  it('takes the higher of rules and model and says which one set it', () => {
    const rulesOnly = screenEntry("I'm going to kill myself tonight.", {}, toy(0));
    expect(rulesOnly).toMatchObject({
      tier: 'high',
      source: 'rules',
      rules: { tier: 'high' },
      model: { tier: 'none' },
    });
    const modelOnly = screenEntry('standing on the bridge', {}, toy(40));
    expect(modelOnly.rules.tier).toBe('none');
    expect(modelOnly).toMatchObject({ tier: 'imminent', source: 'model' });
    const neither = screenEntry('had porridge for breakfast', {}, toy(0));
    expect(neither).toMatchObject({ tier: 'none', source: 'none' });
  });

  it('stores findings as rule ids, categories and offsets, never words', () => {
    const s = screenEntry("I'm going to kill myself tonight.", {}, toy(0));
    expect(s.rules.findings.length).toBeGreaterThan(0);
    for (const f of s.rules.findings) {
      expect(Object.keys(f).sort()).toEqual(['category', 'rule', 'span', 'tier']);
      expect(f.rule).not.toMatch(/kill myself/);
    }
    expect(s.screenerVersion).toBe(`${RULE_VERSION}+toy-1`);
  });
});
