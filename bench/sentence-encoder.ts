// Latency and memory of the offline sentence encoder (src/adapters/sentence-encoder) on this machine: load time,
// process RSS before and after load and after the runs, and p50/p95/p99 wall time and process CPU time per entry
// for short, typical, 128-token and 256-token (truncated) entries, one entry per call as a screening activity
// would call it (the crisis corpus has p50 28, p95 ~105, max 141 tokens). Writes
// bench/results/sentence-encoder-<time>.{json,md}. Needs the model: `npm run tools:install`.
// Usage: npx tsx bench/sentence-encoder.ts [calls per kind, default 300] [intra-op threads, default 1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSentenceEncoder } from '../src/adapters/sentence-encoder';
import { EVERYDAY_SENTENCES } from './lib/journal-texts';

// Everyday, neutral texts (a bench needs no health data): the lengths are what matter.
const SHORT = ['ok day', 'tired but fine', 'went for a walk after lunch', 'made soup 🙂', 'long day at work tbh'];
const typical = (i: number) =>
  Array.from({ length: 4 }, (_, k) => EVERYDAY_SENTENCES[(i + k) % EVERYDAY_SENTENCES.length]).join(' ');
const long128 = (i: number) =>
  Array.from({ length: 8 }, (_, k) => EVERYDAY_SENTENCES[(i + k) % EVERYDAY_SENTENCES.length]).join(' ');
const long = (i: number) => Array.from({ length: 30 }, (_, k) => EVERYDAY_SENTENCES[(i + k) % 6]).join(' ');

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

function percentiles(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => r2(s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), calls: s.length };
}

async function main() {
  const calls = Number(process.argv[2] ?? 300);
  const threads = Number(process.argv[3] ?? 1);
  const loadavgBefore = os.loadavg();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const encoder = await createSentenceEncoder({ threads });
  const loadMs = performance.now() - t0;
  const rssLoaded = process.memoryUsage().rss;

  const kinds = {
    short: (i: number) => SHORT[i % SHORT.length]!,
    typical,
    long128,
    long256: long,
  } as const;
  const tokens = Object.fromEntries(
    Object.entries(kinds).map(([k, make]) => [k, encoder.tokenIds(make(0)).length]),
  ) as Record<keyof typeof kinds, number>;
  for (let i = 0; i < 10; i++) await encoder.embed([typical(i)]); // warm-up: first runs allocate the arenas

  // Kinds interleaved, so a burst of load elsewhere on the machine hits all of them alike.
  const times: Record<string, number[]> = { short: [], typical: [], long128: [], long256: [] };
  // Process CPU time per call (all threads): what the entry costs, whatever else the machine is doing.
  const cpuTimes: Record<string, number[]> = { short: [], typical: [], long128: [], long256: [] };
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < calls; i++) {
    for (const [kind, make] of Object.entries(kinds)) {
      const text = make(i);
      const c = process.cpuUsage();
      const s = performance.now();
      await encoder.embed([text]);
      times[kind]!.push(performance.now() - s);
      const used = process.cpuUsage(c);
      cpuTimes[kind]!.push((used.user + used.system) / 1000);
    }
  }
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const rssAfter = process.memoryUsage().rss;
  await encoder.close();

  const result = {
    at: new Date().toISOString(),
    version: encoder.version,
    threads: { intraOp: threads, interOp: 1 },
    tokensPerEntry: tokens,
    latencyMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, percentiles(v)])),
    cpuMsPerCall: Object.fromEntries(Object.entries(cpuTimes).map(([k, v]) => [k, percentiles(v)])),
    loadMs: Math.round(loadMs),
    memory: { rssBeforeLoadMb: mb(rssBefore), rssAfterLoadMb: mb(rssLoaded), rssAfterRunsMb: mb(rssAfter) },
    // CPU per wall time during the runs: about 1.0 means the one intra-op thread was busy the whole time.
    cpuPerWall: r2((cpu.user + cpu.system) / 1000 / wallMs),
    // Tails on a shared 2-core machine are mostly other processes: the load average says how busy it was.
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadavgBefore: loadavgBefore.map((x) => r2(x)),
      loadavgAfter: os.loadavg().map((x) => r2(x)),
      node: process.version,
    },
  };
  const dir = path.join(__dirname, 'results');
  const stamp = result.at.replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `sentence-encoder-${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
  const lat = result.latencyMs as Record<string, ReturnType<typeof percentiles>>;
  const cpuMs = result.cpuMsPerCall as Record<string, ReturnType<typeof percentiles>>;
  const md = [
    `Sentence encoder \`${result.version}\`, ${threads} intra-op thread(s), one entry per call (${calls} calls per kind)`,
    '',
    '| entry | tokens | p50 ms | p95 ms | p99 ms | max ms | CPU ms p50 | CPU ms p95 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...Object.keys(kinds).map(
      (k) =>
        `| ${k} | ${tokens[k as keyof typeof kinds]} | ${lat[k]!.p50} | ${lat[k]!.p95} | ${lat[k]!.p99} | ${lat[k]!.max} | ${cpuMs[k]!.p50} | ${cpuMs[k]!.p95} |`,
    ),
    '',
    `Load ${result.loadMs} ms (sha256 of the files + session). RSS ${result.memory.rssBeforeLoadMb} MB before load, ` +
      `${result.memory.rssAfterLoadMb} MB after, ${result.memory.rssAfterRunsMb} MB after the runs. ` +
      `CPU/wall during runs ${result.cpuPerWall}. ${result.machine.cpus} × ${result.machine.cpuModel}; load average ` +
      `${result.machine.loadavgBefore.join(' / ')} before, ${result.machine.loadavgAfter.join(' / ')} after.`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, `sentence-encoder-${stamp}.md`), md);
  console.log(md);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
