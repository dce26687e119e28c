// Trains the learned crisis-screening signal (src/domain/crisis/model) from the corpus's train split, picks its
// regularisation and thresholds on the dev split (recall first), and writes
// src/domain/crisis/model/crisis-model.generated.json. Deterministic: the same corpus gives the same file.
// The test split is never read here. Usage: npx tsx scripts/crisis-model/train.ts
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { featurize, type SparseVector } from '../../src/domain/crisis/model/features';
import type { CrisisModel } from '../../src/domain/crisis/model/score';
import { screenText } from '../../src/domain/crisis/screen';
import { CASE_TIERS, type CaseTier, tierRank, type Tier } from '../../src/domain/crisis/types';
import { type CorpusRecord, readSplit } from './corpus';
import { chooseThresholds } from './thresholds';

const OUT = path.resolve(__dirname, '..', '..', 'src', 'domain', 'crisis', 'model', 'crisis-model.generated.json');
/**
 * Full-batch Adam: the corpus is small, so every step sees every entry in a fixed order (deterministic), and
 * Adam converges in a few hundred steps where plain gradient descent needed thousands.
 */
const EPOCHS = Number(process.env.CRISIS_MODEL_EPOCHS ?? 300);
const LEARNING_RATE = 0.05;
/** L2 strengths tried on dev; the one with the lowest dev log-loss wins. */
const LAMBDAS = [1e-5, 1e-4, 1e-3];

interface Example {
  x: SparseVector;
  /** y[k] = 1 when the label is at least CASE_TIERS[k]. */
  y: number[];
}

const examplesOf = (records: CorpusRecord[]): Example[] =>
  records.map((r) => ({ x: featurize(r.text), y: CASE_TIERS.map((t) => (tierRank(r.label) >= tierRank(t) ? 1 : 0)) }));

/** Four independent binary logistic regressions sharing the features, each with balanced class weights. */
function train(examples: Example[], lambda: number) {
  const slot = new Map<number, number>();
  for (const e of examples) for (const i of e.x.index) if (!slot.has(i)) slot.set(i, slot.size);
  const dims = slot.size + 1; // the last slot is the bias
  const w = new Float64Array(dims * 4);
  const m1 = new Float64Array(dims * 4);
  const m2 = new Float64Array(dims * 4);
  const rows = examples.map((e) => ({ slots: e.x.index.map((i) => slot.get(i)!), value: e.x.value, y: e.y }));
  const pos = [0, 1, 2, 3].map((k) => examples.filter((e) => e.y[k] === 1).length);
  const n = examples.length;
  const classWeight = (k: number, y: number) => (y === 1 ? n / (2 * pos[k]!) : n / (2 * (n - pos[k]!)));
  const b1 = 0.9;
  const b2 = 0.999;
  for (let step = 1; step <= EPOCHS; step++) {
    const grad = new Float64Array(dims * 4);
    for (const r of rows) {
      for (let k = 0; k < 4; k++) {
        let z = w[(dims - 1) * 4 + k]!;
        for (let j = 0; j < r.slots.length; j++) z += w[r.slots[j]! * 4 + k]! * r.value[j]!;
        const err = (1 / (1 + Math.exp(-z)) - r.y[k]!) * classWeight(k, r.y[k]!);
        grad[(dims - 1) * 4 + k]! += err;
        for (let j = 0; j < r.slots.length; j++) grad[r.slots[j]! * 4 + k]! += err * r.value[j]!;
      }
    }
    for (let i = 0; i < w.length; i++) {
      const isBias = i >= (dims - 1) * 4;
      const g = grad[i]! / n + (isBias ? 0 : lambda * w[i]!);
      m1[i] = b1 * m1[i]! + (1 - b1) * g;
      m2[i] = b2 * m2[i]! + (1 - b2) * g * g;
      const mh = m1[i]! / (1 - b1 ** step);
      const vh = m2[i]! / (1 - b2 ** step);
      w[i]! -= (LEARNING_RATE * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  const weights = new Map<number, Float64Array>();
  for (const [bucket, s] of slot) weights.set(bucket, w.slice(s * 4, s * 4 + 4));
  return { w: weights, bias: w.slice((dims - 1) * 4) };
}

type Trained = ReturnType<typeof train>;

function probabilities(m: Trained, x: SparseVector): number[] {
  return [0, 1, 2, 3].map((k) => {
    let z = m.bias[k]!;
    for (let j = 0; j < x.index.length; j++) z += (m.w.get(x.index[j]!)?.[k] ?? 0) * x.value[j]!;
    return 1 / (1 + Math.exp(-z));
  });
}

function logLoss(m: Trained, examples: Example[]): number {
  let sum = 0;
  for (const e of examples) {
    const p = probabilities(m, e.x);
    for (let k = 0; k < 4; k++) sum -= Math.log(Math.max(1e-9, e.y[k] ? p[k]! : 1 - p[k]!));
  }
  return sum / (examples.length * 4);
}

/** 5 significant digits: enough for scores rounded to 4 decimals, and a much smaller file. */
const sig = (x: number) => Number(x.toPrecision(5));

const trainSet = readSplit('train');
const devSet = readSplit('dev');
const trainEx = examplesOf(trainSet);
const devEx = examplesOf(devSet);
let best: { lambda: number; model: Trained; loss: number } | undefined;
for (const lambda of LAMBDAS) {
  const model = train(trainEx, lambda);
  const loss = logLoss(model, devEx);
  console.log(`lambda ${lambda}: dev log-loss ${loss.toFixed(4)}`);
  if (!best || loss < best.loss) best = { lambda, model, loss };
}
const { model, lambda } = best!;
const buckets: number[] = [];
const weights: number[] = [];
for (const [i, wi] of [...model.w].sort((a, b) => a[0] - b[0])) {
  if (Math.max(...wi.map(Math.abs)) < 1e-4) continue;
  buckets.push(i);
  weights.push(sig(wi[0]!), sig(wi[1]!), sig(wi[2]!), sig(wi[3]!));
}
const bias = Object.fromEntries(CASE_TIERS.map((t, k) => [t, sig(model.bias[k]!)])) as Record<CaseTier, number>;
const draft: CrisisModel = {
  version: 'draft',
  bias,
  buckets,
  weights,
  thresholds: { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 },
  uncertainAt: 0.5,
};
const rulesTier = (text: string): Tier => screenText(text).tier;
const { thresholds, uncertainAt, report } = chooseThresholds(draft, devSet, rulesTier);
// The version names everything that decides a score and a tier: weights, bias and thresholds.
const digest = createHash('sha256')
  .update(JSON.stringify({ bias, buckets, weights, thresholds, uncertainAt }))
  .digest('hex')
  .slice(0, 8);
const out = {
  ...draft,
  version: `crisis-model-1-${digest}`,
  thresholds,
  uncertainAt,
  trainedWith: { lambda, epochs: EPOCHS, train: trainSet.length, dev: devSet.length },
};
fs.writeFileSync(OUT, JSON.stringify(out) + '\n');
console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${out.version}, ${buckets.length} weighted buckets`);
console.log(report);
