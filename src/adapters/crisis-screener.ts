import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  CRISIS_MODEL,
  type CrisisScreener,
  NGRAM_SCREENER,
  screenEntry,
  screenerVersionOf,
} from '../domain/crisis/screen-entry';
import { type EncoderHeadModel, scoreWithEncoder } from '../domain/crisis/model/encoder-head';
import type { Logger } from '../logger';
import { DIMENSIONS, MAX_TOKENS, SentenceEncoderUnavailableError } from './sentence-encoder/model-files';

const TRAIN_COMMAND = 'npx tsx scripts/crisis-model/train-encoder.ts --folds 5';
const probability = z.number().min(0).max(1);
const row = z.array(z.number().finite()).length(DIMENSIONS);
/** What a head file must hold: a partial or edited file would score NaN and screen everything `none`. */
const headSchema = z.object({
  version: z.string().regex(/^crisis-encoder-\d+-[0-9a-f]+$/),
  encoder: z.object({ modelSha256: z.string().regex(/^[0-9a-f]{64}$/), version: z.string().min(1) }),
  ngramVersion: z.string().min(1),
  encoderWeight: probability,
  head: z.object({ weight: z.array(row).length(4), bias: z.array(z.number().finite()).length(4) }),
  thresholds: z.object({ low: probability, moderate: probability, high: probability, imminent: probability }),
  uncertainAt: probability,
});

/** The head file in a fine-tuned encoder folder; a missing, malformed or stale file is refused, never skipped. */
export function readEncoderHead(dir: string): EncoderHeadModel {
  const file = path.join(path.resolve(dir), 'crisis-encoder.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `CRISIS_ENCODER_DIR: cannot read ${file} (${String(err)}); train it with ${TRAIN_COMMAND} or unset the variable`,
    );
  }
  const parsed = headSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new Error(`CRISIS_ENCODER_DIR: ${file} is not a crisis encoder head file (${where}${issue?.message})`);
  }
  const head = parsed.data;
  const expected = encoderHeadVersion(head);
  if (head.version !== expected)
    throw new Error(
      `CRISIS_ENCODER_DIR: ${file} says ${head.version} but its content is ${expected}: it was edited after training; retrain it or restore the trained file`,
    );
  if (head.ngramVersion !== CRISIS_MODEL.version)
    throw new Error(
      `CRISIS_ENCODER_DIR: ${head.version} was trained beside ${head.ngramVersion}, this build has ${CRISIS_MODEL.version}: retrain it`,
    );
  return head;
}

/**
 * A head file's version: a digest of everything that decides a tier (the graph's pin, the head's weights, the
 * averaging weight, the gate and the thresholds), so two folders with one version screen alike and an edited file
 * is refused rather than stored under the trained file's name. The key order is the one the trainer has always
 * hashed (thresholds from `imminent` down), so earlier trained folders keep their versions.
 */
export function encoderHeadVersion(head: Omit<EncoderHeadModel, 'version'>): string {
  const { encoder, head: weights, thresholds: t } = head;
  const body = {
    encoder: { modelSha256: encoder.modelSha256, version: encoder.version },
    ngramVersion: head.ngramVersion,
    encoderWeight: head.encoderWeight,
    head: { weight: weights.weight, bias: weights.bias },
    thresholds: { imminent: t.imminent, high: t.high, moderate: t.moderate, low: t.low },
    uncertainAt: head.uncertainAt,
  };
  return `crisis-encoder-1-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 8)}`;
}

/**
 * The version screenings are stored under, without loading any graph: what the API names a re-screen with.
 * The same value the worker's screener reports for the same folder.
 */
export function crisisScreenerVersion(encoderDir: string | undefined): string {
  return encoderDir ? screenerVersionOf(readEncoderHead(encoderDir).version) : NGRAM_SCREENER.version;
}

/**
 * Why 64 words with a stride of 32: the encoder reads 256 tokens (~190 words), and the corpus it was tuned on is
 * mostly 10-150 words; 64-word windows (~85 tokens) stay inside both, and half-overlapping ones put every
 * sentence of a long entry whole inside at least one window.
 */
const WINDOW_WORDS = 64;
const WINDOW_STRIDE = 32;

/**
 * What to embed for one entry: the text alone when the encoder reads all of it, else the text (its first 256
 * tokens) and overlapping word windows to the end, so a risky sentence late in a long entry is read.
 */
export function textWindows(text: string, fits: (t: string) => boolean): string[] {
  if (fits(text)) return [text];
  const words = text.split(/\s+/).filter(Boolean);
  const windows = [text];
  for (let start = 0; start < words.length; start += WINDOW_STRIDE) {
    const end = Math.min(words.length, start + WINDOW_WORDS);
    windows.push(words.slice(start, end).join(' '));
    if (end === words.length) break;
  }
  return windows;
}

/**
 * The screener a worker runs: the rules with the n-gram model, or with the fine-tuned encoder when a folder is
 * configured. The encoder's graph is loaded once per process (~155 MB, ~1 s) on a thread of its own (the worker's
 * event loop is not held while it runs: src/adapters/sentence-encoder/session-thread.js) and each text is embedded on its own
 * (p50 14 ms, p95 53 ms per entry on this project's 2-core machines: docs/screening/round-8.md; a long entry
 * costs one embedding per window more). The rules read all of every entry.
 */
export async function createCrisisScreener(opts: {
  encoderDir: string | undefined;
  logger: Logger;
}): Promise<CrisisScreener & { close(): Promise<void> }> {
  if (!opts.encoderDir) {
    opts.logger.info({ screener: NGRAM_SCREENER.version }, 'crisis screener: rules and the n-gram model');
    return { ...NGRAM_SCREENER, close: async () => {} };
  }
  const dir = path.resolve(opts.encoderDir);
  const head = readEncoderHead(dir);
  // Loaded here, not at import: the API reads the version only and never loads ONNX Runtime.
  const { createSentenceEncoder } = await import('./sentence-encoder');
  const encoder = await createSentenceEncoder({ dir, pin: head.encoder }).catch((err: unknown) => {
    if (!(err instanceof SentenceEncoderUnavailableError)) throw err;
    throw new Error(
      `CRISIS_ENCODER_DIR: ${dir} does not hold the graph ${head.version} was trained with (${err.message.replace(/: run .*/, '')}); copy the whole folder ${TRAIN_COMMAND} wrote, or unset the variable`,
    );
  });
  const version = screenerVersionOf(head.version);
  opts.logger.info({ screener: version, dir }, 'crisis screener: rules and the fine-tuned encoder');
  const fits = (t: string) => encoder.tokenCount(t) <= MAX_TOKENS;
  return {
    version,
    async screen(text, screenOpts) {
      const embeddings = await encoder.embed(textWindows(text, fits));
      return screenEntry(text, screenOpts, CRISIS_MODEL, scoreWithEncoder(head, CRISIS_MODEL, text, embeddings));
    },
    close: () => encoder.close(),
  };
}
