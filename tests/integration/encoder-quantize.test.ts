import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisScreener, readEncoderHead } from '../../src/adapters/crisis-screener';
import {
  createSentenceEncoder,
  DIMENSIONS,
  SENTENCE_ENCODER_DIR,
  sha256File,
  type SentenceEncoder,
} from '../../src/adapters/sentence-encoder';
import { installSentenceEncoder } from '../../src/adapters/sentence-encoder/install';
import { createLogger } from '../../src/logger';
import { readSplit } from '../../scripts/crisis-model/corpus';

// scripts/crisis-model/quantize-encoder.ts on a real graph: the base all-MiniLM-L6-v2 (what `npm run tools:install`
// builds; a fine-tuned graph has the same architecture) with a zero head standing in for a trained one, as
// train-encoder.ts leaves a folder. It installs onnxruntime's quantizer into .tools/venv and quantizes for real.

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'crisis-model', 'quantize-encoder.ts');
let tmp: string;
let from: string;
let to: string;
let float: SentenceEncoder;

const quantize = (dst: string) =>
  // 10 minutes: the first run pip-installs onnxruntime (~15 MB) on a shared machine; quantizing takes seconds.
  execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, '--from', from, '--to', dst], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

beforeAll(async () => {
  installSentenceEncoder();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-quantize-'));
  from = path.join(tmp, 'float');
  to = path.join(tmp, 'int8');
  fs.mkdirSync(from);
  for (const f of ['manifest.json', 'model.onnx', 'tokenizer.json'])
    fs.symlinkSync(path.join(SENTENCE_ENCODER_DIR, f), path.join(from, f));
  // A zero head gives P(≥ k) = 0.5 everywhere: what torch would have written for dev.
  const dev = Object.fromEntries(readSplit('dev').map((r) => [r.id, [0.5, 0.5, 0.5, 0.5]]));
  const head = {
    weight: Array.from({ length: 4 }, () => new Array<number>(DIMENSIONS).fill(0)),
    bias: [0, 0, 0, 0],
    dev,
    trainOutOfFold: {},
    trainedWith: { folds: 0, seed: 18 },
  };
  fs.writeFileSync(path.join(from, 'head.json'), JSON.stringify(head));
  quantize(to);
  float = await createSentenceEncoder();
}, 15 * 60_000);

afterAll(async () => {
  await float?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('quantize-encoder.ts: an int8 copy of an encoder folder', () => {
  it(
    'writes a quarter-size graph whose manifest names it, and the same bytes every time',
    () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(to, 'manifest.json'), 'utf8'));
      const sha = sha256File(path.join(to, 'model.onnx'));
      expect(manifest.outputs['model.onnx']).toBe(sha);
      expect(manifest.model).toMatch(/int8 per-channel/);
      const size = fs.statSync(path.join(to, 'model.onnx')).size;
      expect(size).toBeLessThan(fs.statSync(path.join(from, 'model.onnx')).size / 3);
      const again = path.join(tmp, 'int8-again');
      quantize(again);
      expect(sha256File(path.join(again, 'model.onnx'))).toBe(sha);
      expect(readEncoderHead(again).version).toBe(readEncoderHead(to).version);
    },
    10 * 60_000,
  );

  it('pins the int8 graph in its own model version, with the trained head and thresholds of its own', () => {
    const head = readEncoderHead(to);
    expect(head.encoder.modelSha256).toBe(sha256File(path.join(to, 'model.onnx')));
    expect(head.encoder.version).toMatch(/^all-MiniLM-L6-v2-crisis-int8@onnx\.[0-9a-f]{12}$/);
    expect(head.head.weight.every((row) => row.every((w) => w === 0))).toBe(true);
    expect(head.uncertainAt).toBeGreaterThan(0);
    expect(head.uncertainAt).toBeLessThanOrEqual(1);
    for (const t of Object.values(head.thresholds)) expect(t).toBeGreaterThan(0);
    // No 90 MB shape-inferred copy left beside the source graph by the quantization tool.
    expect(fs.readdirSync(from).sort()).toEqual(['head.json', 'manifest.json', 'model.onnx', 'tokenizer.json']);
  });

  it('embeds through the runtime close to the float graph (cosine ≥ 0.97 on corpus entries)', async () => {
    const int8 = await createSentenceEncoder({ dir: to, pin: readEncoderHead(to).encoder });
    try {
      const texts = readSplit('dev')
        .slice(0, 40)
        .map((r) => r.text);
      const [a, b] = [await float.embed(texts), await int8.embed(texts)];
      const cosines = a.map((e, i) => cosine(e, b[i]!));
      expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.97);
      expect(cosines.some((c) => c < 0.99999)).toBe(true); // it is a different graph, not a copy
    } finally {
      await int8.close();
    }
  });

  it(
    'refuses a head.json that does not belong to the graph it would quantize',
    () => {
      const stale = path.join(tmp, 'stale');
      fs.mkdirSync(stale);
      for (const f of ['manifest.json', 'model.onnx', 'tokenizer.json'])
        fs.symlinkSync(path.join(SENTENCE_ENCODER_DIR, f), path.join(stale, f));
      const head = JSON.parse(fs.readFileSync(path.join(from, 'head.json'), 'utf8'));
      head.bias = [2, 2, 2, 2]; // torch's dev scores (0.5) no longer match what this head gives on the graph
      fs.writeFileSync(path.join(stale, 'head.json'), JSON.stringify(head));
      const out = path.join(tmp, 'from-stale');
      expect(() =>
        execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, '--from', stale, '--to', out], {
          cwd: ROOT,
          stdio: 'pipe',
          timeout: 5 * 60_000,
        }),
      ).toThrow(/does not reproduce head\.json/);
      expect(fs.existsSync(out)).toBe(false);
    },
    5 * 60_000,
  );

  it('CRISIS_ENCODER_DIR can name the folder: a worker screens with it under its version', async () => {
    const screener = await createCrisisScreener({ encoderDir: to, logger: createLogger('warn') });
    try {
      expect(screener.version).toContain(readEncoderHead(to).version);
      const s = await screener.screen('I wrote a note and I am going to kill myself tonight', { locale: 'en-US' });
      expect(s.screenerVersion).toBe(screener.version);
      expect(s.model.version).toBe(readEncoderHead(to).version);
      expect(['high', 'imminent']).toContain(s.rules.tier); // the rules reach it whatever the head says
      expect(['high', 'imminent']).toContain(s.tier);
    } finally {
      await screener.close();
    }
  });
});
