// The 200-item batch bench (issue 14, target "200-item batch: >= 50 meals/s"; docs/performance.md). One command
// that starts its own stack (`wellflow dev`: API, workers, dev server, embedded PostgreSQL; plus the bare worker
// process on the same dev server and database) and runs, in alternated rounds:
//   batch:     one POST /v1/meals/batch of `--items` text meals (the real endpoint: meal rows, then one
//              `mealBatch` parent that runs a `mealAnalysis` child per meal, `--concurrency` at once)
//   meals:     the same number of lone POST /v1/meals, 25 at a time from 200 people: each meal its own run with
//              no parent, the most a batch could gain by not fanning out through a parent
//   bareLocal: the same number of bare six-local-activity runs (bench/lib/bare-workflows.ts) started by a
//              plain client, 25 at a time, as bench/meal-pipeline.ts's drain does (the engine's pace here)
// Per arm and round: meals/s from the first send to the last meal's close (closed_at in PostgreSQL), the POST's
// 202 time, CPU ms per meal of every process group and peak RSS. The machine is shared: compare the arms within
// a round and read the recorded load average.
//   npx tsx bench/meal-batch.ts [--rounds 3] [--items 200] [--concurrency 8]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { signToken } from '../src/api/auth';
import { sampleGroups } from './lib/procs';
import { writeBenchResults } from './lib/report';
import { startBenchStack } from './lib/stack';
import { BENCH_MEALS, benchLog, postBenchMeal } from './lib/meal-texts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    items: { type: 'string', default: '200' },
    // Unset: the API's default (DEFAULT_BATCH_CONCURRENCY), i.e. what a caller who does not choose gets.
    concurrency: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const ITEMS = Number(values.items);
const CONCURRENCY = values.concurrency === undefined ? undefined : Number(values.concurrency);
const ARMS = ['batch', 'meals', 'bareLocal'] as const;
type Arm = (typeof ARMS)[number];
const MEALS = BENCH_MEALS;
// A 200-meal batch at the target pace closes in 4 s; 10 minutes is room for a very slow machine, not a target.
const CLOSE_WAIT_MS = 10 * 60_000;
const log = benchLog;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface ArmRound {
  round: number;
  arm: Arm;
  loadavg: number[];
  meals: number;
  closed: number;
  /** POST → 202 (batch) or the 200 starts (bare), ms. */
  sendMs: number;
  /** First send → last close, s. */
  seconds: number;
  mealsPerS: number;
  /** First send → first close, ms: how soon the first meal is done. */
  firstCloseMs: number;
  cpuMsPerMeal: Record<string, number>;
}

async function main() {
  const loadBefore = os.loadavg();
  const stack = await startBenchStack({ split: false, log });
  const sql = postgres(stack.databaseUrl, { max: 4, onnotice: () => {} });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const groups = () =>
    sampleGroups(stack.pids, ({ comm, root, isRoot }) =>
      comm.startsWith('postgres')
        ? 'postgres'
        : comm.startsWith('temporal')
          ? 'temporal'
          : isRoot
            ? root
            : `${root}-child`,
    );
  const peakRss: Record<string, number> = {};
  const rssTimer = setInterval(() => {
    for (const [g, v] of Object.entries(groups())) peakRss[g] = Math.max(peakRss[g] ?? 0, Math.round(v.rssMb));
  }, 500);
  let seq = 0;
  // The meals arm's people: many, as in bench/meal-pipeline.ts (one person's thousands of meals is not traffic).
  const tokens = await Promise.all(
    Array.from({ length: 200 }, (_, i) => signToken(stack.jwtSecret, { sub: `bench-${i}`, role: 'user' }, 6 * 3600)),
  );

  /** Sends the arm's meals; resolves with the ids to wait for (meal ids or bare run ids). */
  const send = async (arm: Arm, n = ITEMS): Promise<string[]> => {
    if (arm === 'batch') {
      const items = Array.from({ length: n }, () => ({ description: MEALS[seq++ % MEALS.length]! }));
      const res = await fetch(`${stack.apiUrl}/v1/meals/batch`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ items, ...(CONCURRENCY === undefined ? {} : { concurrency: CONCURRENCY }) }),
      });
      const body = (await res.json()) as { batchId?: string };
      if (res.status !== 202 || !body.batchId)
        throw new Error(`POST /v1/meals/batch: ${res.status} ${JSON.stringify(body)}`);
      const rows = await sql<{ id: string }[]>`select id::text from app.meals where batch_id = ${body.batchId}::uuid`;
      return rows.map((r) => r.id);
    }
    const ids: string[] = [];
    if (arm === 'meals') {
      for (let i = 0; i < n; i += 25) {
        const page = await Promise.all(
          Array.from({ length: Math.min(25, n - i) }, async () => {
            const res = await postBenchMeal(stack.apiUrl, tokens, seq++);
            const body = (await res.json()) as { mealId?: string };
            if (res.status !== 202 || !body.mealId) throw new Error(`POST /v1/meals: ${res.status}`);
            return body.mealId;
          }),
        );
        ids.push(...page);
      }
      return ids;
    }
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, () => `bareLocal-b${seq++}`);
      await Promise.all(
        batch.map((id) => client.workflow.start('bareLocal', { taskQueue: 'bench-bare', workflowId: id, args: [id] })),
      );
      ids.push(...batch);
    }
    return ids;
  };
  const closeTimes = async (arm: Arm, ids: string[]) => {
    const rows =
      arm !== 'bareLocal'
        ? await sql<
            { t: Date }[]
          >`select closed_at as t from app.meals where id = any(${ids}::uuid[]) and closed_at is not null`
        : await sql<{ t: Date }[]>`select closed_at as t from bench.closed where run_id = any(${ids})`;
    return rows.map((r) => r.t.getTime());
  };

  const runArm = async (round: number, arm: Arm): Promise<ArmRound> => {
    const loadavg = os.loadavg();
    log(`round ${round} ${arm} (load ${loadavg.map((l) => l.toFixed(1)).join(' ')})`);
    const before = groups();
    const t0 = Date.now();
    const ids = await send(arm);
    const sendMs = Date.now() - t0;
    const deadline = Date.now() + CLOSE_WAIT_MS;
    let closed = await closeTimes(arm, ids);
    while (closed.length < ids.length && Date.now() < deadline) {
      await sleep(200);
      closed = await closeTimes(arm, ids);
    }
    const after = groups();
    const seconds = (Math.max(...closed) - t0) / 1000;
    const cpuMsPerMeal = Object.fromEntries(
      Object.keys(after).map((g) => [g, r1((after[g]!.cpuMs - (before[g]?.cpuMs ?? 0)) / Math.max(1, closed.length))]),
    );
    const r = {
      round,
      arm,
      loadavg,
      meals: ids.length,
      closed: closed.length,
      sendMs,
      seconds: +seconds.toFixed(2),
      mealsPerS: r1(closed.length / seconds),
      firstCloseMs: Math.min(...closed) - t0,
      cpuMsPerMeal,
    };
    log(
      `  ${r.closed}/${r.meals} closed in ${r.seconds} s: ${r.mealsPerS}/s; CPU ms/meal ${JSON.stringify(cpuMsPerMeal)}`,
    );
    return r;
  };

  const results: ArmRound[] = [];
  try {
    // A small warm-up batch and bare run (JIT, connection pools, the workers' caches): not measured.
    log('warm-up (20 meals each)');
    for (const arm of ARMS) {
      const ids = await send(arm, 20);
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while ((await closeTimes(arm, ids)).length < ids.length && Date.now() < deadline) await sleep(500);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? ARMS : [...ARMS].reverse();
      for (const arm of order) results.push(await runArm(round, arm));
    }
  } finally {
    clearInterval(rssTimer);
  }

  const summary = Object.fromEntries(
    ARMS.map((arm) => {
      const rs = results.filter((r) => r.arm === arm);
      const groupsSeen = [...new Set(rs.flatMap((r) => Object.keys(r.cpuMsPerMeal)))];
      const cpu = Object.fromEntries(groupsSeen.map((g) => [g, median(rs.map((r) => r.cpuMsPerMeal[g] ?? 0))]));
      return [
        arm,
        {
          mealsPerS: median(rs.map((r) => r.mealsPerS)),
          mealsPerSByRound: rs.map((r) => r.mealsPerS),
          sendMsMedian: median(rs.map((r) => r.sendMs)),
          firstCloseMsMedian: median(rs.map((r) => r.firstCloseMs)),
          cpuMsPerMeal: cpu,
          cpuMsPerMealTotal: r1(Object.values(cpu).reduce((a, b) => a + b, 0)),
          loadavg1m: rs.map((r) => +r.loadavg[0]!.toFixed(1)),
        },
      ];
    }),
  );
  const at = new Date().toISOString();
  const out = {
    at,
    command: `npx tsx bench/meal-batch.ts ${process.argv.slice(2).join(' ')}`.trim(),
    config: { rounds: ROUNDS, items: ITEMS, concurrency: CONCURRENCY ?? 'API default' },
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    loadavg: { before: loadBefore, after: os.loadavg() },
    note: 'Shared machine: absolute numbers are noisy; compare the arms within a round and read loadavg.',
    peakRssMb: peakRss,
    summary,
    rounds: results,
  };
  const fmtCpu = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([, v]) => v > 0.05)
      .map(([g, v]) => `${g} ${v}`)
      .join(', ');
  const md = [
    `# meal-batch ${at} — \`${out.command}\``,
    '',
    `${ITEMS} text meals per arm and round, ${ROUNDS} alternated rounds, batch concurrency ${out.config.concurrency}; load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${out.loadavg.after.map((l) => l.toFixed(1)).join(' ')} (${out.machine.cpus} CPUs, shared).`,
    '',
    '| arm | meals/s, median (by round) | send → 202 / started (ms) | first close (ms) | CPU ms per meal (by process) | load avg (1 min) by round |',
    '|---|---|---|---|---|---|',
    ...ARMS.map((arm) => {
      const s = summary[arm]!;
      return `| ${arm} | ${s.mealsPerS} (${s.mealsPerSByRound.join(', ')}) | ${s.sendMsMedian} | ${s.firstCloseMsMedian} | ${s.cpuMsPerMealTotal} (${fmtCpu(s.cpuMsPerMeal)}) | ${s.loadavg1m.join(', ')} |`;
    }),
    '',
    `Peak RSS (MB, summed over each group's processes): ${JSON.stringify(peakRss)}`,
    '',
  ].join('\n');
  writeBenchResults(`meal-batch-${at.replace(/[:.]/g, '-')}`, out, md, log);
  await sql.end();
  await connection.close();
  await stack.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
