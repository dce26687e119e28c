import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Tier } from '../../src/domain/crisis/types';

/** One labelled entry of the crisis corpus (docs/screening/labelling-guide.md). */
export interface CorpusRecord {
  id: string;
  text: string;
  label: Tier;
  category: string;
  register: string;
  notes?: string;
}

export const CORPUS_DIR = path.resolve(__dirname, '..', '..', 'data', 'crisis-corpus');
export const SPLITS = ['train', 'dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export function readJsonl(file: string): CorpusRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusRecord);
}

export function readSplit(split: Split): CorpusRecord[] {
  return readJsonl(path.join(CORPUS_DIR, `${split}.jsonl`));
}

/**
 * Train-only batches go to train whatever their hash, so dev and test stay exactly as they were: batch d (round 7,
 * `raw-*-d.jsonl`, ids `<label>-d001`…: hard negatives and recovery-register risk entries) and batch e (round 8,
 * `raw-e3.jsonl`…`raw-e6.jsonl`, ids `<label>-e301`…: four writers other than the corpus's author).
 */
export const TRAIN_ONLY = /^[a-z]+-[de]\d{3}$/;

/**
 * The independent hold-out (round 8, `holdout-*.jsonl`, ids `<label>-h101`…): written by two writers who read only
 * the labelling guide, never the corpus, the rules or the model's errors. It is not part of any split: no script
 * that trains or chooses thresholds reads it; `bench/crisis-screening.ts --holdout` does.
 */
export function readHoldout(): CorpusRecord[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => /^holdout-.*\.jsonl$/.test(f))
    .sort()
    .flatMap((f) => readJsonl(path.join(CORPUS_DIR, f)));
}

/**
 * The split a record belongs to, forever: a hash of its id read as a number in [0, 1): below 0.6 train, below
 * 0.8 dev, else test. It depends on the id alone, so adding records never moves an existing one to another
 * split, and with a few hundred records per label the shares come out close to 60/20/20 within each label.
 * The train-only batches are the exception (TRAIN_ONLY).
 */
export function splitOf(id: string): Split {
  if (TRAIN_ONLY.test(id)) return 'train';
  const u =
    parseInt(createHash('sha256').update(`wellflow-crisis-split:${id}`).digest('hex').slice(0, 8), 16) / 2 ** 32;
  return u < 0.6 ? 'train' : u < 0.8 ? 'dev' : 'test';
}

/**
 * The cross-validation fold of a train entry, by a hash of its id: every script that scores train out of fold
 * (train.ts, train-encoder.ts and finetune_encoder.py, encoder-eval.ts) uses this partition, so their
 * out-of-fold scores can be combined entry by entry.
 */
export const foldOf = (id: string, folds: number) =>
  parseInt(createHash('sha256').update(`fold:${id}`).digest('hex').slice(0, 8), 16) % folds;

export function assignSplits(records: CorpusRecord[]): Record<Split, CorpusRecord[]> {
  const out: Record<Split, CorpusRecord[]> = { train: [], dev: [], test: [] };
  for (const r of records) out[splitOf(r.id)].push(r);
  for (const s of SPLITS) out[s].sort((a, b) => a.id.localeCompare(b.id));
  return out;
}
