import { describe, expect, it } from 'vitest';
import {
  averageScores,
  type EncoderHeadModel,
  headProbabilities,
  scoreWithEncoder,
} from '../../src/domain/crisis/model/encoder-head';
import { scoreWithModel } from '../../src/domain/crisis/model/score';
import { CRISIS_MODEL, screenEntry } from '../../src/domain/crisis/screen-entry';
import { RULE_VERSION } from '../../src/domain/crisis/types';

// A hand-set head over a 3-d "embedding": each threshold reads one axis, so probabilities are predictable.
const head = (overrides: Partial<EncoderHeadModel> = {}): EncoderHeadModel => ({
  version: 'crisis-encoder-toy',
  encoder: { modelSha256: 'f'.repeat(64), version: 'toy-encoder' },
  ngramVersion: CRISIS_MODEL.version,
  encoderWeight: 0.7,
  head: {
    weight: [
      [10, 0, 0],
      [0, 10, 0],
      [0, 0, 10],
      [0, 0, 10],
    ],
    bias: [-5, -5, -5, -8],
  },
  thresholds: { low: 0.5, moderate: 0.4, high: 0.3, imminent: 0.2 },
  uncertainAt: 0.25,
  ...overrides,
});

describe('fine-tuned encoder head', () => {
  it('computes one logistic probability per threshold from the embedding', () => {
    const p = headProbabilities(head(), [1, 0, 0]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-5)), 12);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(5)), 12);
    expect(p[3]).toBeCloseTo(1 / (1 + Math.exp(8)), 12);
  });

  it('averages with the n-gram scores by encoderWeight, caps them to be ordinal and rounds to 4 digits', () => {
    const ngram = { low: 0.1, moderate: 0.1, high: 0.1, imminent: 0.1 };
    const scores = averageScores(head(), ngram, [0.2, 0.9, 0.5, 0.123456]);
    expect(scores.low).toBe(0.17); // 0.3 × 0.1 + 0.7 × 0.2
    expect(scores.moderate).toBe(0.17); // 0.66 capped by P(≥ low)
    expect(scores.high).toBe(0.17);
    expect(scores.imminent).toBe(0.1164); // 0.03 + 0.7 × 0.123456, rounded
  });

  it('flags nothing below the gate, and past it the most urgent level reached (the n-gram rule)', () => {
    const text = 'Had porridge for breakfast and walked the dog.';
    const quiet = scoreWithEncoder(head({ encoderWeight: 1 }), CRISIS_MODEL, text, [[0, 0, 0]]);
    expect(quiet).toMatchObject({ version: 'crisis-encoder-toy', tier: 'none', uncertain: false });
    const urgent = scoreWithEncoder(head({ encoderWeight: 1 }), CRISIS_MODEL, text, [[1, 1, 1]]);
    expect(urgent.tier).toBe('imminent');
    expect(urgent.scores.imminent).toBeCloseTo(1 / (1 + Math.exp(-2)), 4);
  });

  it("takes the highest P(≥ k) over a long entry's embeddings: a risky window anywhere raises the entry", () => {
    const text = 'Had porridge for breakfast and walked the dog.';
    const model = head({ encoderWeight: 1 });
    const late = scoreWithEncoder(model, CRISIS_MODEL, text, [
      [0, 0, 0],
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(late).toEqual(scoreWithEncoder(model, CRISIS_MODEL, text, [[1, 1, 1]]));
    expect(late.tier).toBe('imminent');
    expect(() => scoreWithEncoder(model, CRISIS_MODEL, text, [])).toThrow(/at least one embedding/);
  });

  it('is deterministic and refuses an n-gram model it was not trained with', () => {
    const text = 'I took all the tablets an hour ago';
    const e = [0.3, 0.2, 0.1];
    expect(scoreWithEncoder(head(), CRISIS_MODEL, text, [e])).toEqual(
      scoreWithEncoder(head(), CRISIS_MODEL, text, [e]),
    );
    expect(() => scoreWithEncoder(head({ ngramVersion: 'crisis-model-0' }), CRISIS_MODEL, text, [e])).toThrow(
      /trained with crisis-model-0/,
    );
  });

  it('becomes the learned signal of a screening: both signals kept, the version naming the encoder model', () => {
    const text = 'Walked along the river with my sister; lovely weather.';
    const learned = scoreWithEncoder(head({ encoderWeight: 1 }), CRISIS_MODEL, text, [[0, 0, 0]]);
    const s = screenEntry(text, {}, CRISIS_MODEL, learned);
    expect(s.model).toEqual(learned);
    expect(s.screenerVersion).toBe(`${RULE_VERSION}+crisis-encoder-toy`);
    expect(s.tier).toBe('none');
    // The n-gram model alone pages this everyday entry (docs/screening/model.md); the averaged signal need not.
    expect(scoreWithModel(CRISIS_MODEL, text).tier).not.toBe('none');
  });
});
