import fs from 'node:fs';
import path from 'node:path';
import {
  CRISIS_MODEL,
  type CrisisScreener,
  NGRAM_SCREENER,
  screenEntry,
  screenerVersionOf,
} from '../domain/crisis/screen-entry';
import { type EncoderHeadModel, scoreWithEncoder } from '../domain/crisis/model/encoder-head';
import type { Logger } from '../logger';

/** The head file in a fine-tuned encoder folder; a missing or foreign file is refused at start, never skipped. */
export function readEncoderHead(dir: string): EncoderHeadModel {
  const file = path.join(dir, 'crisis-encoder.json');
  let head: EncoderHeadModel;
  try {
    head = JSON.parse(fs.readFileSync(file, 'utf8')) as EncoderHeadModel;
  } catch (err) {
    throw new Error(
      `CRISIS_ENCODER_DIR: cannot read ${file} (${String(err)}); train it with npx tsx scripts/crisis-model/train-encoder.ts or unset the variable`,
    );
  }
  if (!/^crisis-encoder-\d+-[0-9a-f]+$/.test(head.version ?? '') || !head.encoder?.modelSha256)
    throw new Error(`CRISIS_ENCODER_DIR: ${file} is not a crisis encoder head file`);
  if (head.ngramVersion !== CRISIS_MODEL.version)
    throw new Error(
      `CRISIS_ENCODER_DIR: ${head.version} was trained beside ${head.ngramVersion}, this build has ${CRISIS_MODEL.version}: retrain it`,
    );
  return head;
}

/**
 * The version screenings are stored under, without loading any graph: what the API names a re-screen with.
 * The same value the worker's screener reports for the same folder.
 */
export function crisisScreenerVersion(encoderDir: string | undefined): string {
  return encoderDir ? screenerVersionOf(readEncoderHead(encoderDir).version) : NGRAM_SCREENER.version;
}

/**
 * The screener a worker runs: the rules with the n-gram model, or with the fine-tuned encoder when a folder is
 * configured. The encoder's graph is loaded once per process (~180 MB, ~1 s) and each entry is embedded on its
 * own (a few to ~40 ms on one core: bench/results/crisis-screening-encoder-*). Only the first 256 tokens
 * (~190 words) of an entry reach the encoder; the rules read all of it.
 */
export async function createCrisisScreener(opts: {
  encoderDir: string | undefined;
  logger: Logger;
}): Promise<CrisisScreener & { close(): Promise<void> }> {
  if (!opts.encoderDir) {
    opts.logger.info({ screener: NGRAM_SCREENER.version }, 'crisis screener: rules and the n-gram model');
    return { ...NGRAM_SCREENER, close: async () => {} };
  }
  const head = readEncoderHead(opts.encoderDir);
  // Loaded here, not at import: the API reads the version only and never loads ONNX Runtime.
  const { createSentenceEncoder } = await import('./sentence-encoder');
  const encoder = await createSentenceEncoder({ dir: opts.encoderDir, pin: head.encoder });
  const version = screenerVersionOf(head.version);
  opts.logger.info({ screener: version }, 'crisis screener: rules and the fine-tuned encoder');
  return {
    version,
    async screen(text, screenOpts) {
      const [embedding] = await encoder.embed([text]);
      return screenEntry(text, screenOpts, CRISIS_MODEL, scoreWithEncoder(head, CRISIS_MODEL, text, embedding!));
    },
    close: () => encoder.close(),
  };
}
