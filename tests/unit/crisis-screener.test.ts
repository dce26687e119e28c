import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crisisScreenerVersion, encoderHeadVersion, readEncoderHead } from '../../src/adapters/crisis-screener';
import {
  CRISIS_MODEL,
  NGRAM_SCREENER,
  SCREENER_VERSION,
  screenEntry,
  screenerVersionOf,
} from '../../src/domain/crisis/screen-entry';
import { RULE_VERSION } from '../../src/domain/crisis/types';

/** Which learned signal screening uses (CRISIS_ENCODER_DIR): the head file's checks and the version it names. */
const dirs: string[] = [];
const folderWith = (head: unknown) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-encoder-head-'));
  dirs.push(dir);
  if (head !== undefined) fs.writeFileSync(path.join(dir, 'crisis-encoder.json'), JSON.stringify(head));
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const trained = {
  encoder: { modelSha256: 'f'.repeat(64), version: 'test' },
  ngramVersion: CRISIS_MODEL.version,
  encoderWeight: 1,
  head: { weight: Array.from({ length: 4 }, () => new Array<number>(384).fill(0)), bias: [0, 0, 0, 0] },
  thresholds: { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 },
  uncertainAt: 0.5,
};
const head = { version: encoderHeadVersion(trained), ...trained };

describe('the crisis screener in force', () => {
  it('is the rules and the n-gram model when no encoder folder is configured', async () => {
    expect(crisisScreenerVersion(undefined)).toBe(SCREENER_VERSION);
    expect(NGRAM_SCREENER.version).toBe(`${RULE_VERSION}+${CRISIS_MODEL.version}`);
    const text = 'I wrote a note and I am going to kill myself tonight';
    expect(await NGRAM_SCREENER.screen(text, { locale: 'en-US' })).toEqual(screenEntry(text, { locale: 'en-US' }));
  });

  it('names the fine-tuned encoder head in the version when a folder is configured (no graph is loaded)', () => {
    expect(head.version).toMatch(/^crisis-encoder-1-[0-9a-f]{8}$/);
    expect(crisisScreenerVersion(folderWith(head))).toBe(`${RULE_VERSION}+${head.version}`);
    expect(screenerVersionOf(head.version)).toBe(`${RULE_VERSION}+${head.version}`);
  });

  it('refuses a folder without a head file, naming the training command', () => {
    expect(() => readEncoderHead(folderWith(undefined))).toThrow(/cannot read .*crisis-encoder\.json.*train-encoder/);
  });

  it('refuses a file that is not a crisis encoder head', () => {
    expect(() => readEncoderHead(folderWith({ version: 'something-else', encoder: {} }))).toThrow(
      /is not a crisis encoder head file/,
    );
  });

  it.each([
    ['without thresholds', { ...head, thresholds: undefined }, /thresholds/i],
    ['with a row of the wrong width', { ...head, head: { ...head.head, weight: [[1], [1], [1], [1]] } }, /384/],
    ['with an averaging weight above 1', { ...head, encoderWeight: 2 }, /1/],
    ['that is null', null, /not a crisis encoder head file/],
  ])('refuses a head file %s (it would score NaN and screen everything none)', (_what, file, why) => {
    expect(() => readEncoderHead(folderWith(file))).toThrow(/not a crisis encoder head file/);
    expect(() => readEncoderHead(folderWith(file))).toThrow(why);
  });

  it("names a head by its content: the trainer's digest, stable across key order, changed by any weight", () => {
    const reordered = { ...trained, thresholds: { imminent: 0.5, high: 0.5, moderate: 0.5, low: 0.5 } };
    expect(encoderHeadVersion(reordered)).toBe(head.version);
    const bias = [0, 0, 0, 0.001];
    expect(encoderHeadVersion({ ...trained, head: { ...trained.head, bias } })).not.toBe(head.version);
    expect(encoderHeadVersion({ ...trained, thresholds: { ...trained.thresholds, imminent: 0.4 } })).not.toBe(
      head.version,
    );
  });

  it("keeps the versions of folders trained before the check: the digest is the trainer's earlier expression", () => {
    // What train-encoder.ts hashed up to round 8: its draft (keys in this order) with the chosen weight, gate and
    // thresholds (chooseThresholds builds them from imminent down), without the version.
    const draft = { version: 'draft', ...trained };
    const chosen = { imminent: 0.0241, high: 0.0094, moderate: 0.3415, low: 0.5 };
    const body = { ...draft, encoderWeight: 0.7, thresholds: chosen, uncertainAt: 0.0706 };
    const earlier = createHash('sha256')
      .update(JSON.stringify({ ...body, version: undefined }))
      .digest('hex');
    expect(encoderHeadVersion(body)).toBe(`crisis-encoder-1-${earlier.slice(0, 8)}`);
  });

  it('refuses a head file edited after training (its version would name screenings it did not make)', () => {
    const edited = { ...head, thresholds: { ...head.thresholds, imminent: 0.9 } };
    expect(() => readEncoderHead(folderWith(edited))).toThrow(
      new RegExp(`says ${head.version} but its content is crisis-encoder-1-[0-9a-f]{8}: it was edited after training`),
    );
  });

  it('refuses a head trained beside another n-gram model (its averaged scores would not mean the same)', () => {
    const stale = { ...trained, ngramVersion: 'crisis-model-3-00000000' };
    expect(() => readEncoderHead(folderWith({ version: encoderHeadVersion(stale), ...stale }))).toThrow(
      /trained beside crisis-model-3-00000000.*retrain it/,
    );
  });
});
