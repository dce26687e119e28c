// Splits the raw corpus files (data/crisis-corpus/raw-*.jsonl) once into train/dev/test.jsonl, stratified by
// label in expectation, by a hash of each record's id: adding records never moves an existing one to another split.
// Usage: npx tsx scripts/crisis-model/split.ts
import fs from 'node:fs';
import path from 'node:path';
import { TIERS } from '../../src/domain/crisis/types';
import { assignSplits, CORPUS_DIR, type CorpusRecord, readJsonl, SPLITS } from './corpus';

const raw: CorpusRecord[] = fs
  .readdirSync(CORPUS_DIR)
  .filter((f) => /^raw-.*\.jsonl$/.test(f))
  .sort()
  .flatMap((f) => readJsonl(path.join(CORPUS_DIR, f)));
const ids = new Set<string>();
for (const r of raw) {
  if (ids.has(r.id)) throw new Error(`duplicate id ${r.id}`);
  ids.add(r.id);
  if (!(TIERS as readonly string[]).includes(r.label)) throw new Error(`${r.id}: unknown label ${r.label}`);
  if (!r.text?.trim() || !r.category) throw new Error(`${r.id}: text and category are required`);
}
const splits = assignSplits(raw);
for (const s of SPLITS) {
  const file = path.join(CORPUS_DIR, `${s}.jsonl`);
  fs.writeFileSync(file, splits[s].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const counts = Object.fromEntries(TIERS.map((t) => [t, splits[s].filter((r) => r.label === t).length]));
  console.log(`${s}: ${splits[s].length} ${JSON.stringify(counts)}`);
}
