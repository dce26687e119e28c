import fs from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import {
  BASE_ENCODER_PIN,
  type ModelPin,
  MAX_TOKENS,
  SENTENCE_ENCODER_DIR,
  SentenceEncoderUnavailableError,
  verifyModelFiles,
} from './model-files';
import { startSessionThread } from './session-client';

export interface SentenceEncoder {
  /**
   * One mean-pooled, L2-normalised 384-d embedding per text, identical to sentence-transformers'
   * all-MiniLM-L6-v2 (cosine ≥ 0.999 to the PyTorch reference). A text longer than 256 tokens is embedded from
   * its first 256 (254 + [CLS] + [SEP]) as sentence-transformers does; the rest is not seen, so a caller that
   * must not miss a late sentence embeds windows (see `tokenCount`).
   */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** The token ids the model sees for a text: [CLS], at most 254 word pieces, [SEP]. */
  tokenIds(text: string): number[];
  /** Tokens a text has including [CLS] and [SEP], before truncation: over MAX_TOKENS means a cut. */
  tokenCount(text: string): number;
  /** Model version every embedding is attributed to (upstream revision + the sha of the graph). */
  version: string;
  close(): Promise<void>;
}

export interface SentenceEncoderOptions {
  /** Folder with manifest.json, model.onnx and tokenizer.json (default: models/all-minilm-l6-v2). */
  dir?: string;
  /** Intra-op threads (default 1; the bench compares 2). Fixed per process, so results stay reproducible. */
  threads?: number;
  /** The graph the folder must hold and the version it reports (default: the base all-MiniLM-L6-v2 build). */
  pin?: ModelPin;
}

/**
 * Loads the encoder: verifies the model files (a missing or unknown model throws, naming the install command:
 * no fallback), then opens one ONNX Runtime session on a thread of its own (session-thread.js: a run is a
 * synchronous native call that would otherwise hold this thread's event loop; here only tokenizing is).
 *
 * One intra-op and one inter-op thread, sequential execution: the machines have 2 cores shared with Temporal,
 * PostgreSQL and the other workers, and a single thread makes every run the same sequence of float operations,
 * so the same text gives the same bytes on a given CPU. One entry (≤ 256 tokens) takes milliseconds on one
 * thread (bench/sentence-encoder.ts), so more threads would buy little latency and cost determinism.
 *
 * Each text is run on its own (batch of one), never padded into a batch with others: its embedding then depends
 * on the text and the model version only, not on what it happened to be batched with.
 */
export async function createSentenceEncoder(options: SentenceEncoderOptions = {}): Promise<SentenceEncoder> {
  const pin = options.pin ?? BASE_ENCODER_PIN;
  const { modelPath, tokenizerPath } = verifyModelFiles(options.dir ?? SENTENCE_ENCODER_DIR, pin);
  const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(tokenizerPath, 'utf8')) as object, {});
  const cls = tokenizer.token_to_id('[CLS]');
  const sep = tokenizer.token_to_id('[SEP]');
  if (cls === undefined || sep === undefined) {
    throw new SentenceEncoderUnavailableError(`${tokenizerPath} has no [CLS]/[SEP] token`);
  }
  const session = await startSessionThread(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  let closed = false;

  const wordPieces = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;

  const tokenIds = (text: string) => [cls, ...wordPieces(text).slice(0, MAX_TOKENS - 2), sep];

  return {
    version: pin.version,
    tokenIds,
    tokenCount: (text) => wordPieces(text).length + 2,
    async embed(texts) {
      if (closed) throw new Error('sentence encoder is closed');
      return session.run(texts.map(tokenIds));
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.close();
    },
  };
}
