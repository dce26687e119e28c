// Trains the learned crisis-screening signal (src/domain/crisis/model) from the corpus's train split, picks its
// regularisation and thresholds on the dev split (recall first), and writes
// src/domain/crisis/model/crisis-model.generated.json. Deterministic: the same corpus gives the same file.
// The test split is never read here. Usage: npx tsx scripts/crisis-model/train.ts
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { featurize } from '../../src/domain/crisis/model/features';
import { type CrisisModel, scoreWithModel } from '../../src/domain/crisis/model/score';
import { screenText } from '../../src/domain/crisis/screen';
import { CASE_TIERS, type CaseTier, type Tier } from '../../src/domain/crisis/types';
import { type CorpusRecord, foldOf, readSplit } from './corpus';
import { EPOCHS, examplesOf, logLoss, train, type Trained, vocabularyOf } from './learn';
import { chooseThresholds, devReport, type Scored } from './thresholds';

const OUT = path.resolve(__dirname, '..', '..', 'src', 'domain', 'crisis', 'model', 'crisis-model.generated.json');
/** L2 strengths tried on dev; the one with the lowest dev log-loss wins. */
const LAMBDAS = [3e-6, 1e-5, 1e-4];

/** 5 significant digits: enough for scores rounded to 4 decimals, and a much smaller file. */
const sig = (x: number) => Number(x.toPrecision(5));

const trainSet = readSplit('train');
const devSet = readSplit('dev');
const vocabulary = vocabularyOf(trainSet);
const known = new Set(vocabulary);
const trainEx = examplesOf(trainSet, (t) => featurize(t, known));
const devEx = examplesOf(devSet, (t) => featurize(t, known));
let best: { lambda: number; model: Trained; loss: number } | undefined;
for (const lambda of LAMBDAS) {
  const model = train(trainEx, lambda);
  const loss = logLoss(model, devEx);
  console.log(`lambda ${lambda}: dev log-loss ${loss.toFixed(4)}`);
  if (!best || loss < best.loss) best = { lambda, model, loss };
}
const { model, lambda } = best!;

/** The trained weights as a model file body (4 weights per used bucket, 5 significant digits). */
function toModel(m: Trained, vocabulary: string[]): CrisisModel {
  const buckets: number[] = [];
  const weights: number[] = [];
  for (const [i, wi] of [...m.w].sort((a, b) => a[0] - b[0])) {
    if (Math.max(...wi.map(Math.abs)) < 1e-4) continue;
    buckets.push(i);
    weights.push(sig(wi[0]!), sig(wi[1]!), sig(wi[2]!), sig(wi[3]!));
  }
  const bias = Object.fromEntries(CASE_TIERS.map((t, k) => [t, sig(m.bias[k]!)])) as Record<CaseTier, number>;
  const thresholds = { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 };
  return { version: 'draft', vocabulary, bias, buckets, weights, thresholds, uncertainAt: 0.5 };
}

const rulesTier = (text: string): Tier => screenText(text).tier;
const scoredBy = (m: CrisisModel, records: CorpusRecord[]): Scored[] =>
  records.map((r) => ({ r, rules: rulesTier(r.text), p: scoreWithModel(m, r.text).scores }));
const draft = toModel(model, vocabulary);
const devScored = scoredBy(draft, devSet);
/**
 * Thresholds are chosen on more than the 400 dev entries: each train entry is also scored by a model trained
 * on the other folds (FOLDS-fold cross-validation on train, same L2), so every one of the ~1,500 entries is
 * scored by a model that never saw it. The fold models are slightly weaker than the final one, which errs on
 * the side of recall. The test split is never read.
 */
const FOLDS = 5;
const oofScored = Array.from({ length: FOLDS }, (_, f) => {
  const fold = trainSet.filter((r) => foldOf(r.id, FOLDS) === f);
  const rest = trainSet.filter((r) => foldOf(r.id, FOLDS) !== f);
  const foldVocabulary = vocabularyOf(rest);
  const foldKnown = new Set(foldVocabulary);
  return scoredBy(
    toModel(
      train(
        examplesOf(rest, (t) => featurize(t, foldKnown)),
        lambda,
      ),
      foldVocabulary,
    ),
    fold,
  );
}).flat();
const { thresholds, uncertainAt } = chooseThresholds([...devScored, ...oofScored]);
const { bias, buckets, weights } = draft;
// The version names everything that decides a score and a tier: vocabulary, weights, bias and thresholds.
const digest = createHash('sha256')
  .update(JSON.stringify({ vocabulary, bias, buckets, weights, thresholds, uncertainAt }))
  .digest('hex')
  .slice(0, 8);
const out = {
  ...draft,
  version: `crisis-model-3-${digest}`,
  thresholds,
  uncertainAt,
  trainedWith: { lambda, epochs: EPOCHS, train: trainSet.length, dev: devSet.length, folds: FOLDS },
};
fs.writeFileSync(OUT, JSON.stringify(out) + '\n');
console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${out.version}, ${buckets.length} weighted buckets`);
console.log(devReport(out, devScored));
// What the margin costs (docs/screening/model.md): the same recall-first rule aiming 0, 1 and 2 points above
// the targets on the same pool. Printed for the record; the shipped margin is RECALL_MARGIN.
for (const margin of [0, 0.01, 0.02]) {
  const alt = { ...out, ...chooseThresholds([...devScored, ...oofScored], margin) };
  console.log(`-- margin ${margin}:\n${devReport(alt, devScored)}`);
}
console.log(devReport(out, oofScored).replace(/dev /g, 'train (out of fold) '));
