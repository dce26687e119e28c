import { type CaseTier, CASE_TIERS } from '../types';
import { type CrisisModel, decide, type ModelScore, scoreWithModel } from './score';

/**
 * The fine-tuned encoder signal (issue 18, round 6; docs/screening/model.md): all-MiniLM-L6-v2 fine-tuned on the
 * corpus's train split with a four-output ordinal head, averaged with the n-gram model. Written by
 * `scripts/crisis-model/train-encoder.ts` into the git-ignored models/ folder next to the graph it pins; the
 * embedding is computed by the sentence-encoder adapter (I/O), this module only does the arithmetic, so it
 * stays pure: the same text, embedding and file give the same score.
 */
export interface EncoderHeadModel {
  /** `crisis-encoder-1-<hash>`: a hash of everything below, the graph's sha256 included. */
  version: string;
  /** The fine-tuned graph this head belongs to (its sha256 pins the models/ folder) and its version. */
  encoder: { modelSha256: string; version: string };
  /** The n-gram model whose scores are averaged in; another n-gram version needs a retrained file. */
  ngramVersion: string;
  /** The head's share of the averaged P(≥ k); the n-gram model has the rest. */
  encoderWeight: number;
  /** Logistic head over the L2-normalised embedding: 4 rows (low, moderate, high, imminent) of DIMENSIONS. */
  head: { weight: number[][]; bias: number[] };
  /** Gate and thresholds on the averaged scores, chosen recall first as for the n-gram model. */
  thresholds: Record<CaseTier, number>;
  uncertainAt: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** P(tier ≥ k) of the head alone, uncapped, for k = low, moderate, high, imminent. */
export function headProbabilities(model: EncoderHeadModel, embedding: ArrayLike<number>): number[] {
  return model.head.weight.map((row, k) => {
    let z = model.head.bias[k]!;
    for (let i = 0; i < row.length; i++) z += row[i]! * embedding[i]!;
    return sigmoid(z);
  });
}

/**
 * Averages the n-gram model's stored scores with the head's probabilities (encoderWeight on the head), caps
 * them to be ordinal (P(≥ k) never rises with k), rounds to 4 digits and applies the gate and thresholds.
 */
export function averageScores(
  model: EncoderHeadModel,
  ngram: Record<CaseTier, number>,
  head: number[],
): Record<CaseTier, number> {
  const p: number[] = [];
  CASE_TIERS.forEach((t, k) => {
    const avg = (1 - model.encoderWeight) * ngram[t] + model.encoderWeight * head[k]!;
    p.push(Math.min(avg, k === 0 ? 1 : p[k - 1]!));
  });
  return Object.fromEntries(CASE_TIERS.map((t, k) => [t, round4(p[k]!)])) as Record<CaseTier, number>;
}

/**
 * The learned signal with the encoder: n-gram and head averaged, then the encoder model's own thresholds. An
 * entry longer than the encoder reads (256 tokens) comes as several embeddings (the whole text's first 256 tokens
 * and overlapping windows: src/adapters/crisis-screener.ts); the head's P(≥ k) is the highest over them, so a
 * risky passage late in a long entry counts as if it stood alone (recall first).
 */
export function scoreWithEncoder(
  model: EncoderHeadModel,
  ngram: CrisisModel,
  text: string,
  embeddings: readonly ArrayLike<number>[],
): ModelScore {
  if (ngram.version !== model.ngramVersion) {
    throw new Error(`encoder head ${model.version} was trained with ${model.ngramVersion}, not ${ngram.version}`);
  }
  if (embeddings.length === 0) throw new Error('scoreWithEncoder needs at least one embedding');
  const perEmbedding = embeddings.map((e) => headProbabilities(model, e));
  const head = CASE_TIERS.map((_, k) => Math.max(...perEmbedding.map((p) => p[k]!)));
  const scores = averageScores(model, scoreWithModel(ngram, text).scores, head);
  return { version: model.version, scores, ...decide(model, scores) };
}
