// An int8 copy of a fine-tuned crisis encoder (issue 18, round 9; docs/screening/round-9.md): about twice as fast
// per entry and a quarter of the graph's memory, at a small cost in agreement with the float graph.
//   1. installs onnxruntime's quantization tool (pinned) into .tools/venv;
//   2. quantize_encoder.py writes <to>/model.onnx (int8 weights, one scale per channel), tokenizer, head, manifest;
//   3. scores dev through the int8 graph on onnxruntime-node and chooses the averaging weight, gate and thresholds
//      by the same recall-first rule as a training (encoder-thresholds.ts; with folds, out-of-fold train keeps the
//      float fold models' scores: the fold graphs are not kept), then writes <to>/crisis-encoder.json.
// The result is its own model version; CRISIS_ENCODER_DIR=<to> makes it the learned signal.
// Usage: npx tsx scripts/crisis-model/quantize-encoder.ts [--from models/crisis-encoder] [--to models/crisis-encoder-int8]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sha256File } from '../../src/adapters/sentence-encoder';
import { installSentenceEncoder } from '../../src/adapters/sentence-encoder/install';
import { pipInstallIntoToolsVenv, PROJECT_ROOT, systemPython, VENV_BIN } from '../../src/temporal/cli-resolver';
import {
  checkHeadMatchesGraph,
  chooseAndWrite,
  devDifferences,
  devThroughRuntime,
  draftModel,
  readTrainedHead,
} from './encoder-thresholds';

/** onnxruntime's Python package (its quantization tool) and its dependencies, pinned beside the builder's. */
const QUANTIZER_REQUIREMENTS = [
  'coloredlogs==15.0.1',
  'flatbuffers==25.12.19',
  'humanfriendly==10.0',
  'packaging==26.4',
  'protobuf==7.36.2',
  'sympy==1.14.0',
  'onnxruntime==1.23.2',
];

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  if (i < 0) return path.resolve(fallback);
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a folder`);
  return path.resolve(value);
};
const FROM = arg('--from', path.join(PROJECT_ROOT, 'models', 'crisis-encoder'));
const TO = arg('--to', path.join(PROJECT_ROOT, 'models', 'crisis-encoder-int8'));
const log = (msg: string) => console.log(msg);

async function main() {
  // The head must belong to the graph being quantized (a training stopped before its folds finished leaves a new
  // graph beside the previous head.json).
  const trained = readTrainedHead(FROM);
  const fromSha = sha256File(path.join(FROM, 'model.onnx'));
  await checkHeadMatchesGraph(
    FROM,
    { modelSha256: fromSha, version: `source@onnx.${fromSha.slice(0, 12)}` },
    trained,
    log,
  );
  installSentenceEncoder(log); // the tools venv with numpy and onnx, which the quantizer reads graphs with
  const python = systemPython() ?? 'python3';
  for (const requirement of QUANTIZER_REQUIREMENTS) pipInstallIntoToolsVenv(python, requirement, log);
  // 10 minutes: quantizing the 90 MB graph takes seconds; more means something is wrong.
  execFileSync(
    path.join(VENV_BIN, 'python'),
    [path.join(__dirname, 'quantize_encoder.py'), '--from', FROM, '--to', TO],
    { stdio: 'inherit', timeout: 10 * 60_000 },
  );

  const head = readTrainedHead(TO);
  const modelSha256 = sha256File(path.join(TO, 'model.onnx'));
  const draft = draftModel(
    { modelSha256, version: `all-MiniLM-L6-v2-crisis-int8@onnx.${modelSha256.slice(0, 12)}` },
    head,
  );
  const devHead = await devThroughRuntime(TO, draft);
  // How far int8 moves the head's output from the float graph's (torch's P(≥ k) on dev): informative, not a gate.
  const diffs = devDifferences(devHead, head);
  const at = (q: number) => diffs[Math.min(diffs.length - 1, Math.floor(q * diffs.length))]!.toFixed(4);
  log(`dev P(≥ k), int8 vs float: |difference| p50 ${at(0.5)}, p95 ${at(0.95)}, max ${at(1)}`);
  const folds = Number(head.trainedWith.folds ?? 0);
  chooseAndWrite({
    dir: TO,
    draft,
    devHead,
    head,
    folds,
    trainedWith: { ...head.trainedWith, quantized: 'int8 weights per channel, onnxruntime 1.23.2 quantize_dynamic' },
    log,
  });
}

void main();
