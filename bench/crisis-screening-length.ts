// How long one journal screening takes as entries grow to the API's limit (10,000 characters), with the
// encoder screener (CRISIS_ENCODER_DIR: rules + n-gram + the encoder over the text and its 64-word windows) beside
// the default n-gram screener (rules + n-gram, the bare baseline), one entry per call as the screening activity
// calls it. It answers what the screening step's startToCloseTimeout (src/contracts/crisis-case.policy.ts; 10 s
// when this bench was written, 30 s since) must cover for the longest entry, alone and with two screenings at
// once (the critical worker runs activities concurrently; the encoder's thread runs embeddings in turn). The graph is the base all-MiniLM-L6-v2 from `npm run tools:install` with a zero head: the
// fine-tuned graph has the same architecture and size, so the same cost; the head's values do not change it.
// It also records how long this process's event loop was held (perf_hooks' event-loop delay, max and p99, over
// each mode's calls): what every other activity, heartbeat and (under `npm start`) API request in the worker
// waits while screenings run. Since 2026-12-01 (third session) the encoder's session runs on a thread of its own.
// Writes bench/results/crisis-screening-length-<time>.{json,md}.
// Usage: npx tsx bench/crisis-screening-length.ts [calls per length, default 20] [--encoder <folder>]
//        (--encoder: time a trained encoder folder, e.g. models/crisis-encoder-int8, instead of the base graph)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createCrisisScreener, encoderHeadVersion } from '../src/adapters/crisis-screener';
import { BASE_ENCODER_PIN, DIMENSIONS, SENTENCE_ENCODER_DIR } from '../src/adapters/sentence-encoder/model-files';
import { CRISIS_MODEL, NGRAM_SCREENER, type CrisisScreener } from '../src/domain/crisis/screen-entry';
import { createLogger } from '../src/logger';
import { percentile } from '../src/api/services/runs/run-stats';
import { EVERYDAY_SENTENCES } from './lib/journal-texts';
import { writeBenchResults } from './lib/report';

const ENCODER_ARG = process.argv.indexOf('--encoder');
const TRAINED_FOLDER = ENCODER_ARG > 0 ? process.argv[ENCODER_ARG + 1] : undefined;
if (ENCODER_ARG > 0 && (!TRAINED_FOLDER || TRAINED_FOLDER.startsWith('--')))
  throw new Error('--encoder needs a folder');
const TRAINED_DIR = TRAINED_FOLDER ? path.resolve(TRAINED_FOLDER) : undefined;
const LENGTHS = [250, 1_000, 2_500, 5_000, 10_000];
const entry = (chars: number, i: number) => {
  let text = '';
  for (let k = i; text.length < chars; k++) text += `${EVERYDAY_SENTENCES[k % EVERYDAY_SENTENCES.length]} `;
  return text.slice(0, chars).trim();
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const r1 = (x: number) => Math.round(x * 10) / 10;
const percentiles = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: r1(percentile(sorted, 50)), p95: r1(percentile(sorted, 95)), max: r1(sorted.at(-1)!) };
};

function encoderFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-bench-encoder-'));
  for (const f of ['manifest.json', 'model.onnx', 'tokenizer.json'])
    fs.symlinkSync(path.join(SENTENCE_ENCODER_DIR, f), path.join(dir, f));
  const trained = {
    encoder: BASE_ENCODER_PIN,
    ngramVersion: CRISIS_MODEL.version,
    encoderWeight: 1,
    head: { weight: Array.from({ length: 4 }, () => new Array<number>(DIMENSIONS).fill(0)), bias: [0, 0, 0, 0] },
    thresholds: { low: 0.5, moderate: 0.5, high: 0.5, imminent: 0.5 },
    uncertainAt: 0.5,
  };
  const head = { version: encoderHeadVersion(trained), ...trained };
  fs.writeFileSync(path.join(dir, 'crisis-encoder.json'), JSON.stringify(head));
  return dir;
}

/** Wall ms per screening, `parallel` screenings in flight at once, `calls` per length; and the loop's delay. */
async function measure(screener: CrisisScreener, calls: number, parallel: number) {
  const out: Record<number, ReturnType<typeof percentiles>> = {};
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  for (const chars of LENGTHS) {
    const times: number[] = [];
    for (let i = 0; i < calls; i += parallel) {
      await Promise.all(
        Array.from({ length: Math.min(parallel, calls - i) }, async (_, j) => {
          const s = performance.now();
          await screener.screen(entry(chars, i + j), { locale: 'en-US' });
          times.push(performance.now() - s);
        }),
      );
      // As separate activities are: a turn of the loop between screenings (a screener that answers without
      // I/O would otherwise run every call in one turn, and the delay monitor would never sample).
      await new Promise((resolve) => setImmediate(resolve));
    }
    out[chars] = percentiles(times);
  }
  loop.disable();
  const loopDelayMs = { p99: r1(loop.percentile(99) / 1e6), max: r1(loop.max / 1e6) };
  return { byLength: out, loopDelayMs };
}

async function main() {
  const calls = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
  const dir = TRAINED_DIR ?? encoderFolder();
  const rss0 = process.memoryUsage().rss;
  const encoder = await createCrisisScreener({ encoderDir: dir, logger: createLogger('warn') });
  const rssLoaded = process.memoryUsage().rss;
  for (let i = 0; i < 5; i++) await encoder.screen(entry(1_000, i), { locale: 'en-US' }); // warm-up
  const load = os.loadavg();
  const result = {
    at: new Date().toISOString(),
    calls,
    screener: encoder.version,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavgBefore: load },
    rssMb: { before: mb(rss0), encoderLoaded: mb(rssLoaded) },
    ngram: { sequential: await measure(NGRAM_SCREENER, calls, 1), twoAtOnce: await measure(NGRAM_SCREENER, calls, 2) },
    encoder: { sequential: await measure(encoder, calls, 1), twoAtOnce: await measure(encoder, calls, 2) },
    loadavgAfter: os.loadavg(),
  };
  await encoder.close();
  if (!TRAINED_DIR) fs.rmSync(dir, { recursive: true, force: true });

  const loop = (m: { loopDelayMs: { p99: number; max: number } }) => `${m.loopDelayMs.p99} / ${m.loopDelayMs.max}`;
  const rows = LENGTHS.map((chars) => {
    const cell = (p: { p50: number; p95: number; max: number }) => `${p.p50} / ${p.p95} / ${p.max}`;
    return `| ${chars.toLocaleString('en')} | ${entry(chars, 0).split(/\s+/).length} | ${cell(result.ngram.sequential.byLength[chars]!)} | ${cell(result.encoder.sequential.byLength[chars]!)} | ${cell(result.encoder.twoAtOnce.byLength[chars]!)} |`;
  });
  const md = [
    `Crisis screening time by entry length (${calls} calls per length; ms p50 / p95 / max; load average ${load.map((x) => x.toFixed(1)).join(' / ')} before, ${result.loadavgAfter.map((x) => x.toFixed(1)).join(' / ')} after)`,
    '',
    '| characters | words | n-gram screener (default) | encoder screener | encoder, two at once |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Event loop held (delay p99 / max, ms): n-gram ${loop(result.ngram.sequential)}, two at once ${loop(result.ngram.twoAtOnce)}; encoder ${loop(result.encoder.sequential)}, two at once ${loop(result.encoder.twoAtOnce)}.`,
    '',
    `Encoder screener: ${result.screener}. Process RSS ${result.rssMb.before} MB before the encoder, ${result.rssMb.encoderLoaded} MB with it loaded.`,
  ].join('\n');
  writeBenchResults(`crisis-screening-length-${result.at.replace(/[:.]/g, '-')}`, result, `${md}\n`, console.log);
}

void main();
