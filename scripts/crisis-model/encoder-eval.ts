// Does a sentence encoder help the recall-first screener? (docs/screening/model.md, round 5.) Scores the train
// split out of fold and the dev split (trained on train) with three learned signals, then puts each through the
// recall-first rule of thresholds.ts exactly as train.ts does, and prints dev AUC and the benign entries each
// would flag:
//   - the n-gram model (features.ts, same training as train.ts),
//   - a logistic head (four ordinal thresholds, learn.ts) over all-MiniLM-L6-v2 embeddings of the whole entry
//     (src/adapters/sentence-encoder; `npm run tools:install` builds the model, nothing is downloaded),
//   - their average, ENCODER_WEIGHT on the head.
// Evaluation only: nothing here is shipped. The test split is never read.
// Usage: npx tsx scripts/crisis-model/encoder-eval.ts
import { createSentenceEncoder } from '../../src/adapters/sentence-encoder';
import shipped from '../../src/domain/crisis/model/crisis-model.generated.json';
import { featurize, type SparseVector } from '../../src/domain/crisis/model/features';
import { CRISIS_MODEL } from '../../src/domain/crisis/screen-entry';
import { screenText } from '../../src/domain/crisis/screen';
import { CASE_TIERS, type CaseTier, tierRank } from '../../src/domain/crisis/types';
import { type CorpusRecord, foldOf, readSplit } from './corpus';
import { auc, examplesOf, logLoss, probabilities, train, vocabularyOf } from './learn';
import { chooseThresholds, devReport, type Scored } from './thresholds';

/** The head's share of the averaged score; 0.3 and 0.5 were compared on dev + out-of-fold train (0.3 better). */
const ENCODER_WEIGHT = 0.3;
/** L2 strengths tried for the head on dev log-loss (1e-4 is about scikit-learn's C = 10 on 1,124 entries). */
const HEAD_LAMBDAS = [1e-5, 1e-4, 1e-3];
/** The trainer's folds (train.ts), so out-of-fold scores come from the same partition. */
const FOLDS = 5;

type Fit = (trainOn: CorpusRecord[]) => (r: CorpusRecord) => number[];

const trainSet = readSplit('train');
const devSet = readSplit('dev');

/** P(≥ k) per record: dev by a fit on all of train, train by fits on the other folds. */
function scorePool(fit: Fit): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const onTrain = fit(trainSet);
  for (const r of devSet) out.set(r.id, onTrain(r));
  for (let f = 0; f < FOLDS; f++) {
    const score = fit(trainSet.filter((r) => foldOf(r.id, FOLDS) !== f));
    for (const r of trainSet.filter((r) => foldOf(r.id, FOLDS) === f)) out.set(r.id, score(r));
  }
  return out;
}

const ngram: Fit = (records) => {
  const known = new Set(vocabularyOf(records));
  const fz = (text: string) => featurize(text, known);
  const m = train(examplesOf(records, fz), shipped.trainedWith.lambda);
  return (r) => probabilities(m, fz(r.text));
};

function headFit(vectors: Map<string, SparseVector>, lambda: number): Fit {
  const fz = (text: string) => vectors.get(text)!;
  return (records) => {
    const m = train(examplesOf(records, fz), lambda);
    return (r) => probabilities(m, fz(r.text));
  };
}

/** Ordinal cap and 4-digit rounding, as scoreWithModel stores scores. */
const asScores = (p: number[]) => {
  const capped: number[] = [];
  for (let k = 0; k < 4; k++) capped.push(Math.min(p[k]!, k === 0 ? 1 : capped[k - 1]!));
  return Object.fromEntries(CASE_TIERS.map((t, k) => [t, Math.round(capped[k]! * 1e4) / 1e4])) as Record<
    CaseTier,
    number
  >;
};

function report(name: string, pool: Map<string, number[]>, rules: Map<string, Scored['rules']>) {
  const scored = (records: CorpusRecord[]): Scored[] =>
    records.map((r) => ({ r, rules: rules.get(r.id)!, p: asScores(pool.get(r.id)!) }));
  const dev = scored(devSet);
  const oof = scored(trainSet);
  const aucs = CASE_TIERS.map((k) =>
    auc(
      dev.map((s) => s.p[k]),
      dev.map((s) => (tierRank(s.r.label) >= tierRank(k) ? 1 : 0)),
    ).toFixed(3),
  );
  const model = { ...CRISIS_MODEL, ...chooseThresholds([...dev, ...oof]) };
  console.log(`== ${name}: dev AUC (≥ low, moderate, high, imminent) ${aucs.join(' / ')}`);
  console.log(devReport(model, dev));
  console.log(devReport(model, oof).split('\n').slice(1).join('\n').replace(/dev /g, 'train (out of fold) '));
}

async function main() {
  const encoder = await createSentenceEncoder();
  const vectors = new Map<string, SparseVector>();
  const dims = Array.from({ length: 384 }, (_, i) => i);
  for (const r of [...trainSet, ...devSet]) {
    const [e] = await encoder.embed([r.text]);
    vectors.set(r.text, { index: dims, value: Array.from(e!) });
  }
  await encoder.close();
  console.log(`embedded ${vectors.size} train and dev texts with ${encoder.version}`);

  const embedded = (t: string) => vectors.get(t)!;
  const devEx = examplesOf(devSet, embedded);
  let lambda = HEAD_LAMBDAS[0]!;
  let best = Infinity;
  for (const l of HEAD_LAMBDAS) {
    const loss = logLoss(train(examplesOf(trainSet, embedded), l), devEx);
    console.log(`head lambda ${l}: dev log-loss ${loss.toFixed(4)}`);
    if (loss < best) [best, lambda] = [loss, l];
  }
  const rules = new Map([...trainSet, ...devSet].map((r) => [r.id, screenText(r.text).tier]));
  const ngramPool = scorePool(ngram);
  const headPool = scorePool(headFit(vectors, lambda));
  const averaged = new Map(
    [...ngramPool].map(([id, p]) => [
      id,
      p.map((x, k) => (1 - ENCODER_WEIGHT) * x + ENCODER_WEIGHT * headPool.get(id)![k]!),
    ]),
  );
  report('n-gram model', ngramPool, rules);
  report(`MiniLM head (lambda ${lambda})`, headPool, rules);
  report(`average, ${ENCODER_WEIGHT} on the MiniLM head`, averaged, rules);
}

void main();
