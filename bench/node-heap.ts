// Memory of the `wellflow dev` node process under a meal backlog, with V8's own heap growing heuristics
// (WELLFLOW_HEAP_GROWING_PERCENT=0) and with Wellflow's default (100: a growing factor of 2), alternated
// (docs/performance.md "Memory of the node process"). Each run starts its own stack (bench/lib/stack.ts), waits
// idle, sends text meals from 1,000 people at --rate for --seconds (open loop: above what two cores drain,
// so a backlog builds), then waits until every meal is closed. Per run: idle RSS, peak RSS (sampled every
// 250 ms), the process's CPU ms per meal, and the seconds until the last meal closed.
//   npx tsx bench/node-heap.ts [--pairs 3] [--rate 60] [--seconds 20] [--values 0,100]
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { signToken } from '../src/api/auth';
import { startBenchStack } from './lib/stack';
import { writeBenchResults } from './lib/report';
import { benchLog, postBenchMeal } from './lib/meal-texts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    // 60/s for 20 s: the sustained-rate target; on two cores it builds a backlog of several hundred
    // meals, which is when the heap grows.
    rate: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '20' },
    values: { type: 'string', default: '0,100' },
  },
});
const PAIRS = Number(values.pairs);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const SETTINGS = values.values!.split(',').map(Number);
const log = benchLog;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK_MS = 10; // USER_HZ

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
/** CPU ms of a process and its waited-for children (utime, stime, cutime, cstime). */
const cpuMs = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0) * TICK_MS;
};

interface Run {
  heapGrowingPercent: number;
  idleRssMb: number;
  peakRssMb: number;
  cpuMsPerMeal: number;
  secondsToClose: number;
  meals: number;
  load: number[];
}

async function runOnce(percent: number): Promise<Run> {
  process.env.WELLFLOW_HEAP_GROWING_PERCENT = String(percent);
  const stack = await startBenchStack({ split: false, log });
  const pid = stack.pids.wellflow!;
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => signToken(stack.jwtSecret, { sub: `heap-${i}`, role: 'user' }, 3600)),
    );
    await sleep(5_000);
    const idleRssMb = rssMb(pid);
    let peakRssMb = idleRssMb;
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pid))), 250);
    const load = os.loadavg();
    const cpu0 = cpuMs(pid);
    const t0 = Date.now();
    const total = RATE * SECONDS;
    const sends: Promise<number>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / RATE - Date.now();
      if (wait > 0) await sleep(wait);
      sends.push(
        postBenchMeal(stack.apiUrl, tokens, i).then(
          async (r) => (await r.arrayBuffer(), r.status),
          () => 0,
        ),
      );
    }
    const accepted = (await Promise.all(sends)).filter((s) => s === 202).length;
    for (;;) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from app.meals where closed_at is not null`;
      if (row!.n >= accepted) break;
      await sleep(200);
    }
    const secondsToClose = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    const run = {
      heapGrowingPercent: percent,
      idleRssMb: Math.round(idleRssMb),
      peakRssMb: Math.round(peakRssMb),
      cpuMsPerMeal: Math.round(((cpuMs(pid) - cpu0) / accepted) * 10) / 10,
      secondsToClose: Math.round(secondsToClose * 10) / 10,
      meals: accepted,
      load,
    };
    log(JSON.stringify(run));
    return run;
  } finally {
    await sql.end();
    await stack.stop();
  }
}

async function main() {
  const runs: Run[] = [];
  for (let p = 0; p < PAIRS; p++) for (const percent of SETTINGS) runs.push(await runOnce(percent));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = SETTINGS.map((percent) => {
    const mine = runs.filter((r) => r.heapGrowingPercent === percent);
    const all = (k: keyof Run) => mine.map((r) => r[k] as number);
    return `| ${percent} | ${median(all('idleRssMb'))} | ${median(all('peakRssMb'))} (${all('peakRssMb').join(', ')}) | ${median(all('cpuMsPerMeal'))} (${all('cpuMsPerMeal').join(', ')}) | ${median(all('secondsToClose'))} |`;
  });
  const md = [
    `# Node process memory under a meal backlog (${new Date().toISOString()})`,
    '',
    `${PAIRS} alternated runs per setting; ${RATE}/s for ${SECONDS} s of text meals from 1,000 people, then until all closed.`,
    '',
    '| WELLFLOW_HEAP_GROWING_PERCENT | idle RSS (MB) | peak RSS (MB), each run | CPU ms per meal (wellflow process), each run | s until the last meal closed |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  const name = `node-heap-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  writeBenchResults(name, { pairs: PAIRS, rate: RATE, seconds: SECONDS, runs }, md, log);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
