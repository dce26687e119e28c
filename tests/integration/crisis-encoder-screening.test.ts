import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encoderHeadVersion } from '../../src/adapters/crisis-screener';
import { createSentenceEncoder } from '../../src/adapters/sentence-encoder';
import { BASE_ENCODER_PIN, SENTENCE_ENCODER_DIR } from '../../src/adapters/sentence-encoder/model-files';
import { CRISIS_MODEL, SCREENER_VERSION, screenerVersionOf } from '../../src/domain/crisis/screen-entry';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * CRISIS_ENCODER_DIR wired end to end on the real dev server and database: the API names re-screens with the
 * encoder's version, and the critical worker screens journal entries with the encoder's graph (ONNX Runtime)
 * and the folder's head. The head is made for the test over the base all-MiniLM-L6-v2 graph (the fine-tuned one
 * needs a training run): its four rows point at the embedding of one calm sentence that no rule matches, so that
 * sentence screens `imminent` from the model alone and an unrelated one screens `none`. This tests the wiring,
 * not the model's quality (bench/crisis-screening.ts --encoder measures that).
 */
const MARKED = 'The blue heron stood in the shallow pond all morning without moving.';
const OTHER = 'Paid the gas bill, hoovered the stairs and made a big pot of lentil soup.';

let h: Harness;
let dir: string;
/** The head's version: the digest of its content, as the trainer names it and the screener checks it. */
let HEAD_VERSION: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-crisis-encoder-'));
  for (const f of ['manifest.json', 'model.onnx', 'tokenizer.json'])
    fs.symlinkSync(path.join(SENTENCE_ENCODER_DIR, f), path.join(dir, f));
  const encoder = await createSentenceEncoder();
  const [marked] = await encoder.embed([MARKED]);
  await encoder.close();
  // z = 40·cos(text, MARKED) − 14: +26 for MARKED itself (P ≈ 1 at every level), about −12 for unrelated text,
  // and +3.7 for the 45-word window that ends a long entry with it (cos 0.44 with this graph: P ≈ 0.98).
  const row = Array.from(marked!, (x) => 40 * x);
  const trained = {
    encoder: BASE_ENCODER_PIN,
    ngramVersion: CRISIS_MODEL.version,
    encoderWeight: 1,
    head: { weight: [row, row, row, row], bias: [-14, -14, -14, -14] },
    thresholds: { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 },
    uncertainAt: 0.5,
  };
  HEAD_VERSION = encoderHeadVersion(trained);
  fs.writeFileSync(path.join(dir, 'crisis-encoder.json'), JSON.stringify({ version: HEAD_VERSION, ...trained }));
  h = await startHarness({ env: { CRISIS_ENCODER_DIR: dir } });
});
afterAll(async () => {
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const screening = (entryId: string) =>
  eventually(async () => {
    const rows = await h.database.db.execute(sql`select screening from app.journal_entries where id = ${entryId}`);
    return (rows[0] as { screening: any } | undefined)?.screening ?? undefined;
  }, 30_000);
const write = async (userId: string, text: string) => {
  const res = await h.call('POST', '/v1/journal-entries', { token: await h.token(userId), body: { text, mood: 3 } });
  expect(res.status).toBe(202);
  return (res.json as { entryId: string }).entryId;
};

describe('crisis screening with the fine-tuned encoder folder configured', () => {
  let version: string;
  beforeAll(() => {
    version = screenerVersionOf(HEAD_VERSION);
  });

  it('screens with the folder’s encoder and head: the model alone can raise an entry no rule matches', async () => {
    const marked = await screening(await write(h.newUser(), MARKED));
    expect(marked).toMatchObject({ tier: 'imminent', screenerVersion: version, source: 'model' });
    expect(marked.model).toMatchObject({ version: HEAD_VERSION, tier: 'imminent' });
    expect(marked.rulesTier).toBe('none');
    const other = await screening(await write(h.newUser(), OTHER));
    expect(other).toMatchObject({ tier: 'none', screenerVersion: version, source: 'none' });
    expect(other.model.scores.low).toBeLessThan(0.5);
    expect(version).not.toBe(SCREENER_VERSION);
  });

  it('reads a long entry to its end: a passage after 300 words raises it (the encoder reads 256 tokens)', async () => {
    const text = `${Array.from({ length: 20 }, () => OTHER).join(' ')} ${MARKED}`;
    expect(text.split(/\s+/).length).toBeGreaterThan(300);
    const long = await screening(await write(h.newUser(), text));
    expect(long).toMatchObject({ tier: 'imminent', screenerVersion: version, source: 'model' });
  });

  it('names re-screens with the encoder’s version, and the workers re-screen to it', async () => {
    // An entry "screened by an older screener": the re-screen must bring it to the encoder's version. (The
    // database is shared by the run's files: their recent entries are re-screened here too, and the files that
    // count entries not at their version compute it from the database when they start.)
    const entryId = await write(h.newUser(), MARKED);
    await screening(entryId);
    await h.database.db.execute(
      sql`update app.journal_entries set screening = ${JSON.stringify({ tier: 'none', screenerVersion: 'crisis-rules-0.9.0+none' })}::jsonb where id = ${entryId}`,
    );
    const staff = await h.token('nurse-1', 'staff');
    const res = await h.call('POST', '/v1/crisis/rescreens', { token: staff, body: { days: 1 } });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ screenerVersion: version, workflowId: `journal-rescreen-${version}` });
    const run = await eventually(async () => {
      const r = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token: staff });
      return r.json?.status === 'completed' ? r.json : undefined;
    }, 60_000);
    expect(run.result).toMatchObject({ screenerVersion: version });
    expect(run.result.screened).toBeGreaterThanOrEqual(1);
    expect(await screening(entryId)).toMatchObject({
      tier: 'imminent',
      screenerVersion: version,
      model: { version: HEAD_VERSION },
      previous: { tier: 'none', screenerVersion: 'crisis-rules-0.9.0+none' },
    });
  });
});
