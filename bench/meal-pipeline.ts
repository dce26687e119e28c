// The meal benchmark (docs/performance.md): one command that starts its own stack (`wellflow dev` with its
// own Temporal dev server and embedded PostgreSQL, plus a bare worker process on the same dev server and
// database) and runs, in alternated rounds, the Wellflow arm (POST /v1/meals, text) and three bare arms:
//   bareRemote: 5 regular activities + 1 local (the shape of a text meal before the local-steps change)
//   bareLocal:  the same six steps as local activities
//   bareFloor:  all six INSERTs in one local activity
// Each round and arm: an open loop at a low rate (latency from the INTENDED send time to the close write),
// an open loop at a high rate (sustained completions/s and the backlog left), then a drain of N queued runs.
// CPU ms per run of every process group, peak RSS and os.loadavg() go with every result. The machine is
// shared: absolute numbers are noisy, compare the arms side by side within a round (ratios).
//   npx tsx bench/meal-pipeline.ts            full: 3 rounds
//   npx tsx bench/meal-pipeline.ts --quick    development: 1 round, short phases
//   --split                                   workers in their own process (item 5 of issue 14)
//   --people N                                the Wellflow arm's meals come from N people, in turn (default 1000)
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { signToken } from '../src/api/auth';
import { sampleGroups } from './lib/procs';
import { startBenchStack } from './lib/stack';
import { type ArmResult, renderTable, summarize, writeBenchResults } from './lib/report';
import { benchLog, postBenchMeal } from './lib/meal-texts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    split: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    low: { type: 'string', default: '5' },
    high: { type: 'string', default: '60' },
    seconds: { type: 'string' },
    drain: { type: 'string' },
    // Real traffic is many people with a few meals a day each. One person logging every meal of the bench
    // (thousands in a day) measured an unrealistic per-person history instead of the pipeline.
    people: { type: 'string', default: '1000' },
  },
});
const quick = values.quick!;
const cfg = {
  rounds: Number(values.rounds ?? (quick ? 1 : 3)),
  lowRate: Number(values.low),
  highRate: Number(values.high),
  seconds: Number(values.seconds ?? (quick ? 6 : 20)),
  drain: Number(values.drain ?? (quick ? 100 : 500)),
  people: Number(values.people),
};
const ARMS = ['wellflow', 'bareRemote', 'bareLocal', 'bareFloor'] as const;
type Arm = (typeof ARMS)[number];
const log = benchLog;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const stack = await startBenchStack({ split: values.split!, log });
  const sql = postgres(stack.databaseUrl, { max: 4, onnotice: () => {} });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  let seq = 0;
  const tokens = await Promise.all(
    Array.from({ length: cfg.people }, (_, i) =>
      signToken(stack.jwtSecret, { sub: `bench-${i}`, role: 'user' }, 6 * 3600),
    ),
  );
  // The bench process itself is a group too (`benchClient`): it is the bare arms' Temporal client (a start is
  // its gRPC call and payload encoding) and the Wellflow arm's HTTP client, so an arm's client cost is visible
  // beside its server cost (the Wellflow node process includes the API that serves the POST). Its polling for
  // close times is in it for every arm alike. It is listed, not added to the table's total.
  const groups = (): Record<string, { cpuMs: number; rssMb: number }> => ({
    ...sampleGroups(stack.pids, ({ comm, root, isRoot }) =>
      comm.startsWith('postgres')
        ? 'postgres'
        : comm.startsWith('temporal')
          ? 'temporal'
          : isRoot
            ? root
            : `${root}-child`,
    ),
    benchClient: (() => {
      const u = process.cpuUsage();
      return { cpuMs: (u.user + u.system) / 1000, rssMb: process.memoryUsage().rss / 1024 ** 2 };
    })(),
  });

  /** Starts one run of an arm; resolves with its id once the start is acknowledged (202 / start). */
  const startOne = async (arm: Arm, tag: string): Promise<{ id: string; startMs: number }> => {
    const t0 = performance.now();
    if (arm === 'wellflow') {
      const res = await postBenchMeal(stack.apiUrl, tokens, seq++);
      const body = (await res.json()) as { mealId?: string };
      if (res.status !== 202 || !body.mealId) throw new Error(`POST /v1/meals: ${res.status}`);
      return { id: body.mealId, startMs: performance.now() - t0 };
    }
    const id = `${tag}-${seq++}`;
    await client.workflow.start(arm, { taskQueue: 'bench-bare', workflowId: id, args: [id] });
    return { id, startMs: performance.now() - t0 };
  };
  /** Close times (epoch ms) of the runs that closed. */
  const closeTimes = async (arm: Arm, ids: string[]): Promise<Map<string, number>> => {
    const rows =
      arm === 'wellflow'
        ? await sql<
            { id: string; t: Date }[]
          >`select id::text, closed_at as t from app.meals where id = any(${ids}::uuid[]) and closed_at is not null`
        : await sql<
            { id: string; t: Date }[]
          >`select run_id as id, closed_at as t from bench.closed where run_id = any(${ids})`;
    return new Map(rows.map((r) => [r.id, r.t.getTime()]));
  };
  const waitClosed = async (arm: Arm, ids: string[], ms: number) => {
    const deadline = Date.now() + ms;
    let closed = await closeTimes(arm, ids);
    while (closed.size < ids.length && Date.now() < deadline) {
      await sleep(250);
      closed = await closeTimes(arm, ids);
    }
    return closed;
  };

  /** Open loop: sends at fixed intervals whatever the system does; latency from the intended send time. */
  const openLoop = async (arm: Arm, rate: number, seconds: number) => {
    const n = Math.round(rate * seconds);
    const t0 = Date.now() + 200;
    const sends: Promise<{ id: string; intended: number; startMs: number } | undefined>[] = [];
    const before = groups();
    for (let i = 0; i < n; i++) {
      const intended = t0 + (i * 1000) / rate;
      const wait = intended - Date.now();
      if (wait > 0) await sleep(wait);
      sends.push(
        startOne(arm, `${arm}-o${rate}`).then(
          (r) => ({ ...r, intended }),
          () => undefined,
        ),
      );
    }
    const sent = (await Promise.all(sends)).filter((s): s is NonNullable<typeof s> => !!s);
    const endOfSending = Date.now();
    const closed = await waitClosed(
      arm,
      sent.map((s) => s.id),
      180_000,
    );
    const after = groups();
    const latencies = sent.filter((s) => closed.has(s.id)).map((s) => closed.get(s.id)! - s.intended);
    // Completions per second while sending, and the runs still open when sending stopped (the backlog).
    const during = sent.filter((s) => (closed.get(s.id) ?? Infinity) <= endOfSending).length;
    return {
      offered: n,
      started: sent.length,
      completed: closed.size,
      latencies,
      startMs: sent.map((s) => s.startMs),
      completionsPerS: during / ((endOfSending - t0) / 1000),
      backlogAtEnd: sent.length - during,
      cpu: cpuPerRun(before, after, closed.size),
    };
  };
  /** Drain: N runs queued as fast as they can be started; throughput from first send to last close. */
  const drain = async (arm: Arm, n: number) => {
    const before = groups();
    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < n; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, () => startOne(arm, `${arm}-d`).catch(() => undefined)),
      );
      for (const r of batch) if (r) ids.push(r.id);
    }
    const closed = await waitClosed(arm, ids, 300_000);
    const after = groups();
    const last = Math.max(...closed.values());
    return {
      n,
      completed: closed.size,
      perS: closed.size / ((last - t0) / 1000),
      cpu: cpuPerRun(before, after, closed.size),
    };
  };
  const cpuPerRun = (b: ReturnType<typeof groups>, a: ReturnType<typeof groups>, runs: number) =>
    Object.fromEntries(
      Object.keys(a).map((g) => [g, +((a[g]!.cpuMs - (b[g]?.cpuMs ?? 0)) / Math.max(1, runs)).toFixed(2)]),
    );

  // Peak RSS per group, sampled every 500 ms for the whole bench.
  const peakRss: Record<string, number> = {};
  const rssTimer = setInterval(() => {
    for (const [g, v] of Object.entries(groups())) peakRss[g] = Math.max(peakRss[g] ?? 0, Math.round(v.rssMb));
  }, 500);

  log('warm-up');
  for (const arm of ARMS) await openLoop(arm, 5, 2);

  const results: ArmResult[] = [];
  for (let round = 1; round <= cfg.rounds; round++) {
    const order = ARMS.map((_, i) => ARMS[(i + round - 1) % ARMS.length]!);
    for (const arm of order) {
      const load = os.loadavg();
      log(`round ${round} ${arm} (load ${load.map((l) => l.toFixed(1)).join(' ')})`);
      const low = await openLoop(arm, cfg.lowRate, cfg.seconds);
      const high = await openLoop(arm, cfg.highRate, cfg.seconds);
      const drained = await drain(arm, cfg.drain);
      results.push({ round, arm, loadavg: load, loadavgAfter: os.loadavg(), low, high, drain: drained });
    }
  }
  clearInterval(rssTimer);

  const summary = summarize(results, ARMS);
  const at = new Date().toISOString();
  const out = {
    at,
    command: `npx tsx bench/meal-pipeline.ts ${process.argv.slice(2).join(' ')}`.trim(),
    config: { ...cfg, split: values.split },
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
    },
    note: 'Shared machine: absolute numbers are noisy; compare arms side by side (ratios) and read loadavg.',
    peakRssMb: peakRss,
    summary,
    rounds: results.map((r) => ({
      ...r,
      low: { ...r.low, latencies: undefined, startMs: undefined },
      high: { ...r.high, latencies: undefined, startMs: undefined },
    })),
  };
  writeBenchResults(
    `meal-pipeline-${at.replace(/[:.]/g, '-')}${values.split ? '-split' : ''}`,
    out,
    renderTable(out),
    log,
  );
  await sql.end();
  await connection.close();
  await stack.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
