// The second half of a fine-tuned encoder's making, shared by train-encoder.ts (a new training) and
// quantize-encoder.ts (an int8 copy of a trained graph): score dev through the runtime, pick the averaging weight,
// gate and thresholds by the recall-first rule of thresholds.ts on dev (+ out-of-fold train), and write
// crisis-encoder.json. The test split and the hold-out are never read here.
import fs from 'node:fs';
import path from 'node:path';
import { encoderHeadVersion } from '../../src/adapters/crisis-screener';
import { createSentenceEncoder, type ModelPin } from '../../src/adapters/sentence-encoder';
import { averageScores, type EncoderHeadModel, headProbabilities } from '../../src/domain/crisis/model/encoder-head';
import { featurize } from '../../src/domain/crisis/model/features';
import { scoreWithModel } from '../../src/domain/crisis/model/score';
import { CRISIS_MODEL } from '../../src/domain/crisis/screen-entry';
import { screenText } from '../../src/domain/crisis/screen';
import { CASE_TIERS, type CaseTier } from '../../src/domain/crisis/types';
import { type CorpusRecord, foldOf, readSplit } from './corpus';
import { examplesOf, probabilities, train, vocabularyOf } from './learn';
import { chooseThresholds, devReport, type Scored } from './thresholds';

/** What finetune_encoder.py writes beside the graph: the head, and torch's P(≥ k) for dev and out-of-fold train. */
export interface TrainedHead {
  weight: number[][];
  bias: number[];
  dev: Record<string, number[]>;
  trainOutOfFold: Record<string, number[]>;
  trainedWith: Record<string, unknown>;
}

/** Head shares compared on the tuning pool; the one flagging the fewest benign entries at the recall aim wins. */
const ENCODER_WEIGHTS = [0.5, 0.7, 1];
const CRISIS_MODEL_LAMBDA = (CRISIS_MODEL as unknown as { trainedWith: { lambda: number } }).trainedWith.lambda;

export const readTrainedHead = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'head.json'), 'utf8')) as TrainedHead;

/** P(≥ k) capped to be ordinal and rounded to 4 digits, as scoreWithModel stores the n-gram model's. */
const stored = (p: number[]) => {
  const c: number[] = [];
  for (let k = 0; k < 4; k++) c.push(Math.min(p[k]!, k === 0 ? 1 : c[k - 1]!));
  return Object.fromEntries(CASE_TIERS.map((t, k) => [t, Math.round(c[k]! * 1e4) / 1e4])) as Record<CaseTier, number>;
};

/** The n-gram model's scores for train out of fold (fold models trained as train.ts trains them). */
function ngramOutOfFold(trainSet: CorpusRecord[], folds: number): Map<string, Record<CaseTier, number>> {
  const out = new Map<string, Record<CaseTier, number>>();
  for (let f = 0; f < folds; f++) {
    const rest = trainSet.filter((r) => foldOf(r.id, folds) !== f);
    const known = new Set(vocabularyOf(rest));
    const fz = (t: string) => featurize(t, known);
    const m = train(examplesOf(rest, fz), CRISIS_MODEL_LAMBDA);
    for (const r of trainSet.filter((r) => foldOf(r.id, folds) === f))
      out.set(r.id, stored(probabilities(m, fz(r.text))));
  }
  return out;
}

/** A model with the trained head and the graph's pin, thresholds still to be chosen. */
export const draftModel = (encoder: ModelPin, head: TrainedHead): EncoderHeadModel => ({
  version: 'draft',
  encoder,
  ngramVersion: CRISIS_MODEL.version,
  encoderWeight: 1,
  head: { weight: head.weight, bias: head.bias },
  thresholds: { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 },
  uncertainAt: 0.5,
});

/** The head's P(≥ k) for every dev entry, embedded by the graph in `dir` on onnxruntime-node, one at a time. */
export async function devThroughRuntime(dir: string, draft: EncoderHeadModel): Promise<Map<string, number[]>> {
  const runtime = await createSentenceEncoder({ dir, pin: draft.encoder });
  const out = new Map<string, number[]>();
  try {
    for (const r of readSplit('dev')) {
      const [e] = await runtime.embed([r.text]);
      out.set(r.id, headProbabilities(draft, e!));
    }
  } finally {
    await runtime.close();
  }
  return out;
}

/** |P(≥ k) by the runtime − torch's P(≥ k) (head.dev)| for every dev entry and k, sorted ascending. */
export function devDifferences(devHead: Map<string, number[]>, head: TrainedHead): number[] {
  return [...devHead]
    .flatMap(([id, p]) => {
      const torch = head.dev[id];
      if (!torch) throw new Error(`head.json has no dev score for ${id}: it was written for another split`);
      return p.map((x, k) => Math.abs(x - torch[k]!));
    })
    .sort((a, b) => a - b);
}

/**
 * Throws unless the graph in `dir` reproduces torch's dev scores in head.json (to 1e-3): the head belongs to
 * this graph, and the export is faithful. A training stopped between writing the graph and head.json (the folds
 * run in between) would otherwise pair a new graph with an old head. Returns the runtime's dev scores, which the
 * threshold choice then uses (one pass over dev, not two).
 */
export async function checkHeadMatchesGraph(
  dir: string,
  encoder: ModelPin,
  head: TrainedHead,
  log: (m: string) => void,
): Promise<Map<string, number[]>> {
  const devHead = await devThroughRuntime(dir, draftModel(encoder, head));
  const max = devDifferences(devHead, head).at(-1) ?? 0;
  log(`dev P(≥ k), ${path.basename(dir)} on onnxruntime-node vs torch: max difference ${max.toExponential(2)}`);
  if (max > 1e-3) throw new Error(`${dir}: model.onnx does not reproduce head.json's trained scores`);
  return devHead;
}

/**
 * Picks the averaging weight, gate and thresholds on dev (scored by `devHead`) plus, with folds, train scored out
 * of fold (`head.trainOutOfFold`, torch's), writes `dir`/crisis-encoder.json and returns what it wrote.
 */
export function chooseAndWrite(opts: {
  dir: string;
  draft: EncoderHeadModel;
  devHead: Map<string, number[]>;
  head: TrainedHead;
  folds: number;
  trainedWith: Record<string, unknown>;
  log: (msg: string) => void;
}): EncoderHeadModel {
  const { draft, devHead, head, folds, log } = opts;
  const trainSet = readSplit('train');
  const devSet = readSplit('dev');
  const rules = new Map([...trainSet, ...devSet].map((r) => [r.id, screenText(r.text).tier]));
  const oofNgram = folds ? ngramOutOfFold(trainSet, folds) : new Map<string, Record<CaseTier, number>>();
  const poolFor = (m: EncoderHeadModel) => {
    const dev: Scored[] = devSet.map((r) => ({
      r,
      rules: rules.get(r.id)!,
      p: averageScores(m, scoreWithModel(CRISIS_MODEL, r.text).scores, devHead.get(r.id)!),
    }));
    const oof: Scored[] = folds
      ? trainSet.map((r) => ({
          r,
          rules: rules.get(r.id)!,
          p: averageScores(m, oofNgram.get(r.id)!, head.trainOutOfFold[r.id]!),
        }))
      : [];
    return { dev, oof };
  };
  let best: { model: EncoderHeadModel; flagged: number } | undefined;
  for (const encoderWeight of ENCODER_WEIGHTS) {
    const { dev, oof } = poolFor({ ...draft, encoderWeight });
    const model = { ...draft, encoderWeight, ...chooseThresholds([...dev, ...oof]) };
    const benign = [...dev, ...oof].filter((s) => s.r.label === 'none');
    const flagged = benign.filter((s) => s.rules !== 'none' || s.p.low >= model.uncertainAt).length;
    log(`encoder weight ${encoderWeight}: ${flagged}/${benign.length} benign entries of the pool flagged`);
    if (!best || flagged < best.flagged) best = { model, flagged };
  }
  const { thresholds, uncertainAt, encoderWeight } = best!.model;
  const body = { ...draft, encoderWeight, thresholds, uncertainAt };
  const out = { ...body, version: encoderHeadVersion(body), trainedWith: opts.trainedWith };
  fs.writeFileSync(path.join(opts.dir, 'crisis-encoder.json'), JSON.stringify(out) + '\n');
  log(`wrote ${path.relative(process.cwd(), opts.dir)}/crisis-encoder.json: ${out.version}, weight ${encoderWeight}`);
  const { dev, oof } = poolFor(out);
  log(devReport(out, dev));
  if (folds) log(devReport(out, oof).split('\n').slice(1).join('\n').replace(/dev /g, 'train (out of fold) '));
  return out;
}
