// Evaluates the crisis screener on the HELD-OUT test split (never used for training or thresholds) and writes
// bench/results/crisis-screening-<time>.{json,md}: per-label reach rates (an entry reaches its label when the
// screened tier is at least its label), the confusion matrix of rules, model and combined, the false negatives
// (the ones that matter), the benign false-positive rate, latency per entry and the memory the model takes.
// Usage: npx tsx bench/crisis-screening.ts
//        npx tsx bench/crisis-screening.ts --holdout   (the independent hold-out of round 8 instead of the test
//        split: data/crisis-corpus/holdout-*.jsonl, written by two writers who never read the corpus; writes
//        crisis-screening-holdout-<time>.*)
//        npx tsx bench/crisis-screening.ts --encoder   (the learned signal is the fine-tuned encoder averaged with
//        the n-gram model: models/crisis-encoder/, built by scripts/crisis-model/train-encoder.ts; writes
//        crisis-screening-encoder-<time>.*; the embedding is part of every timed call)
//        npx tsx bench/crisis-screening.ts --encoder models/crisis-encoder-int8   (another encoder folder, e.g. the
//        int8 copy scripts/crisis-model/quantize-encoder.ts writes; the result names its model version)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readHoldout, readSplit } from '../scripts/crisis-model/corpus';
import { TIERS, tierAtLeast, type Tier } from '../src/domain/crisis/types';
import { createLogger } from '../src/logger';
import type { EntryScreening } from '../src/domain/crisis/screen-entry';

const ENCODER_ARG = process.argv.indexOf('--encoder');
const WITH_ENCODER = ENCODER_ARG > 0;
/** The encoder folder: the word after --encoder unless it is another flag, else models/crisis-encoder. */
const ENCODER_FOLDER = WITH_ENCODER ? process.argv[ENCODER_ARG + 1] : undefined;
const ENCODER_DIR = path.resolve(
  ENCODER_FOLDER && !ENCODER_FOLDER.startsWith('--')
    ? ENCODER_FOLDER
    : path.join(__dirname, '..', 'models', 'crisis-encoder'),
);
/** Which held-out set: the corpus's test split, or the independent hold-out written by other hands (round 8). */
const SET = process.argv.includes('--holdout') ? 'holdout' : 'test';
const SET_TITLE = SET === 'holdout' ? 'the independent hold-out' : 'the held-out test split';
/** Timed rounds over the test split: 20 for the n-gram model (sub-millisecond), 3 with the encoder (~15 ms). */
const ROUNDS = WITH_ENCODER ? 3 : 20;

/** The screener under test, built as a worker builds it (src/adapters/crisis-screener.ts). */
async function loadScreener(): Promise<{
  screen: (text: string) => Promise<EntryScreening>;
  close: () => Promise<void>;
  version: string;
  model: { version: string; thresholds: object; uncertainAt: number; encoderWeight?: number };
}> {
  const { CRISIS_MODEL } = await import('../src/domain/crisis/screen-entry');
  const { createCrisisScreener, readEncoderHead } = await import('../src/adapters/crisis-screener');
  const encoderDir = WITH_ENCODER ? ENCODER_DIR : undefined;
  const screener = await createCrisisScreener({ encoderDir, logger: createLogger('warn') });
  const file = encoderDir ? readEncoderHead(encoderDir) : undefined;
  const { version, thresholds, uncertainAt } = file ?? CRISIS_MODEL;
  return {
    screen: (text) => screener.screen(text),
    close: () => screener.close(),
    version: screener.version,
    model: { version, thresholds, uncertainAt, ...(file ? { encoderWeight: file.encoderWeight } : {}) },
  };
}

async function main() {
  const test = SET === 'holdout' ? readHoldout() : readSplit('test');
  const rssBefore = process.memoryUsage().rss;
  const { screen, close, version, model } = await loadScreener();
  await screen('warm-up');
  const rssAfter = process.memoryUsage().rss;

  const rows: {
    r: (typeof test)[number];
    rules: Tier;
    model: Tier;
    combined: Tier;
    uncertain: boolean;
    scores: object;
  }[] = [];
  for (const r of test) {
    const s = await screen(r.text);
    rows.push({
      r,
      rules: s.rules.tier,
      model: s.model.tier,
      combined: s.tier,
      uncertain: s.model.uncertain,
      scores: s.model.scores,
    });
  }
  const signals = ['rules', 'model', 'combined'] as const;
  const confusion = Object.fromEntries(
    signals.map((sig) => [
      sig,
      Object.fromEntries(
        TIERS.map((label) => [
          label,
          Object.fromEntries(TIERS.map((t) => [t, rows.filter((x) => x.r.label === label && x[sig] === t).length])),
        ]),
      ),
    ]),
  ) as Record<(typeof signals)[number], Record<Tier, Record<Tier, number>>>;
  const reach = Object.fromEntries(
    signals.map((sig) => [
      sig,
      Object.fromEntries(
        TIERS.filter((t) => t !== 'none').map((label) => {
          const items = rows.filter((x) => x.r.label === label);
          const ok = items.filter((x) => tierAtLeast(x[sig], label)).length;
          return [label, { reached: ok, of: items.length, rate: items.length ? ok / items.length : 1 }];
        }),
      ),
    ]),
  );
  const benign = rows.filter((x) => x.r.label === 'none');
  const benignFlagged = Object.fromEntries(
    signals.map((sig) => [sig, { flagged: benign.filter((x) => x[sig] !== 'none').length, of: benign.length }]),
  );
  const falseNegatives = rows
    .filter((x) => x.r.label !== 'none' && !tierAtLeast(x.combined, x.r.label))
    .map((x) => ({
      id: x.r.id,
      label: x.r.label,
      screened: x.combined,
      category: x.r.category,
      scores: x.scores,
      text: x.r.text,
    }));
  const falsePositives = benign
    .filter((x) => x.combined !== 'none')
    .map((x) => ({ id: x.r.id, screened: x.combined, category: x.r.category, uncertain: x.uncertain, text: x.r.text }));

  // Latency: every test entry, ROUNDS rounds, one entry per call (as the activity screens them).
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of test) {
      const t0 = performance.now();
      await screen(r.text);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  await close();
  const pct = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3));
  const latencyMs = { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: pct(1), calls: times.length };

  const result = {
    at: new Date().toISOString(),
    screenerVersion: version,
    model,
    split: SET,
    entries: test.length,
    reach,
    benignFlagged,
    confusion,
    latencyMs,
    memory: { rssBeforeModelMb: mb(rssBefore), rssWithModelMb: mb(rssAfter), modelMb: mb(rssAfter - rssBefore) },
    // Latency tails on a shared 2-core machine are mostly other processes: the load average says how busy it was.
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Number(x.toFixed(1))), node: process.version },
    falseNegatives,
    falsePositives,
  };
  const dir = path.join(__dirname, 'results');
  const name = `crisis-screening-${WITH_ENCODER ? 'encoder-' : ''}${SET === 'holdout' ? 'holdout-' : ''}${result.at.replace(/[:.]/g, '-')}`;
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  const md = markdown(result);
  fs.writeFileSync(path.join(dir, `${name}.md`), md);
  console.log(md);
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const percent = (x: { rate: number; reached: number; of: number }) =>
  `${(x.rate * 100).toFixed(1)} % (${x.reached}/${x.of})`;

function markdown(r: {
  screenerVersion: string;
  entries: number;
  reach: Record<string, Record<string, { rate: number; reached: number; of: number }>>;
  benignFlagged: Record<string, { flagged: number; of: number }>;
  confusion: Record<string, Record<Tier, Record<Tier, number>>>;
  latencyMs: { p50: number; p95: number; p99: number };
  memory: { modelMb: number; rssWithModelMb: number };
  machine: { loadavg: number[] };
  falseNegatives: { id: string; label: string; screened: string; text: string }[];
  falsePositives: { screened: string; category: string }[];
}): string {
  const byKind = new Map<string, number>();
  for (const f of r.falsePositives) byKind.set(f.category, (byKind.get(f.category) ?? 0) + 1);
  const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
  const asTier = TIERS.filter((t) => t !== 'none').map(
    (t) => `${t} ${r.falsePositives.filter((f) => f.screened === t).length}`,
  );
  const lines = [
    `Crisis screener \`${r.screenerVersion}\` on ${SET_TITLE} (${r.entries} entries)`,
    '',
    '| label | rules | model | combined (the higher) |',
    '| --- | --- | --- | --- |',
    ...['imminent', 'high', 'moderate', 'low'].map(
      (l) =>
        `| ${l}: reach at least their tier | ${percent(r.reach.rules![l]!)} | ${percent(r.reach.model![l]!)} | ${percent(r.reach.combined![l]!)} |`,
    ),
    `| benign: scored above none | ${r.benignFlagged.rules!.flagged}/${r.benignFlagged.rules!.of} | ${r.benignFlagged.model!.flagged}/${r.benignFlagged.model!.of} | ${r.benignFlagged.combined!.flagged}/${r.benignFlagged.combined!.of} |`,
    '',
    `Latency per entry (both signals): p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms. Model in memory: ~${r.memory.modelMb} MB (process RSS ${r.memory.rssWithModelMb} MB). Load average ${r.machine.loadavg.join(' / ')}.`,
    '',
    'Combined confusion matrix (rows: label, columns: screened tier):',
    '',
    `| label | ${TIERS.join(' | ')} |`,
    `| --- | ${TIERS.map(() => '---').join(' | ')} |`,
    ...TIERS.map((l) => `| ${l} | ${TIERS.map((t) => r.confusion.combined![l][t]).join(' | ')} |`),
    '',
    `Benign entries flagged, by kind: ${kinds.join(', ') || 'none'}; as ${asTier.join(', ')}.`,
    '',
    `False negatives (${r.falseNegatives.length}):`,
    ...r.falseNegatives.map((f) => `- ${f.id} (${f.label} → ${f.screened}): ${f.text.slice(0, 160)}`),
    '',
  ];
  return lines.join('\n');
}

void main();
