// Many open crisis cases (issue 14, item 6; docs/performance.md). Starts its own stack (`wellflow dev` for the API,
// dev server and PostgreSQL; a separate `wellflow worker` for default+critical, whose memory is measured), then
//   1. opens N cases (default 10,000, one person each) through the case opener the screening activity uses
//      (signal-with-start of `crisis-<userId>`), `low` tier: each notifies level 0 and waits on its 24 h
//      acknowledgement timer. The critical worker caches 200 runs (src/worker/tuning.ts), so the open cases soon
//      exceed its cache: the worker's RSS is sampled every second against the number of cases opened;
//   2. opens B more (default 1,000) at `high` tier, each with its own acknowledgement window (the policy travels
//      in the case's input) chosen so the B deadlines fall due spread evenly over one minute;
//   3. waits for every burst case to escalate, and reports timer lateness: the escalation's workflow time (the
//      workflow task that ran when the timer fired) minus the deadline (the level-0 notification's time plus the
//      window), and the same for the next level's notification; where it goes, from each burst run's history
//      (bench/lib/timer-history.ts); CPU per burst case; and the dev server's memory throughout.
// Usage: npx tsx bench/crisis-open-cases.ts [--cases 10000] [--burst 1000] [--concurrency 16]
// The machine is shared: absolute numbers are noisy; read them with the recorded load average.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { DEFAULT_CRISIS_POLICY } from '../src/contracts/crisis-case.policy';
import type { CaseTier } from '../src/domain/crisis/types';
import { caseOpener } from '../src/temporal/case-client';
import { caseWorkflowId } from '../src/contracts/crisis-case';
import { sampleGroups } from './lib/procs';
import { ROOT, startBenchStack } from './lib/stack';
import { timerAttribution } from './lib/timer-history';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    burst: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const CASES = Number(values.cases);
const BURST = Number(values.burst);
const CONCURRENCY = Number(values.concurrency);
const WINDOW_MS = 60_000; // the burst's deadlines spread over one minute, as the issue asks
const log = (m: string) => console.log(`[${new Date().toISOString()}] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!) : NaN;
};

interface Sample {
  t: number;
  opened: number;
  /** Cases whose level-0 notification is recorded: their run is waiting on its timer (sampled every 5 s). */
  waiting: number;
  workerMb: number;
  devServerMb: number;
  load1: number;
}

async function main() {
  const loadBefore = os.loadavg();
  const stack = await startBenchStack({ split: true, log });
  const sql = postgres(stack.databaseUrl, { max: 4, onnotice: () => {} });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const open = caseOpener(new Client({ connection }));
  const samples: Sample[] = [];
  let opened = 0;
  let waitingNow = 0;
  const t0 = Date.now();
  const sample = () => {
    const worker = sampleGroups({ w: stack.pids.wellflowWorker! }, () => 'worker').worker?.rssMb ?? 0;
    const dev = sampleGroups({ d: stack.pids.wellflow! }, ({ comm }) => (comm.startsWith('temporal') ? 't' : 'o'));
    samples.push({
      t: Math.round((Date.now() - t0) / 1000),
      opened,
      waiting: waitingNow,
      workerMb: Math.round(worker),
      devServerMb: Math.round(dev.t?.rssMb ?? 0),
      load1: +os.loadavg()[0]!.toFixed(1),
    });
  };
  const timer = setInterval(sample, 1000);
  /** Opens n cases; with `perSecond`, case i is opened no earlier than i / perSecond after the first. */
  const openMany = async (
    n: number,
    tier: CaseTier,
    windowOf: (i: number) => number | undefined,
    perSecond?: number,
  ) => {
    const ids: { caseId: string; windowMs: number }[] = [];
    let next = 0;
    const failures: Record<string, number> = {};
    const from = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const i = next++;
          if (perSecond) await sleep(from + (i * 1000) / perSecond - Date.now());
          const caseId = randomUUID();
          const windowMs = windowOf(i) ?? DEFAULT_CRISIS_POLICY[tier].ackDeadlineMs;
          const policy = {
            ...DEFAULT_CRISIS_POLICY,
            [tier]: { ...DEFAULT_CRISIS_POLICY[tier], ackDeadlineMs: windowMs },
          };
          const entryId = randomUUID();
          try {
            await open(
              { caseId, userId: `bench-case-${caseId}`, tier, entryId, policy, timeScale: 1 },
              { entryId, tier },
            );
            ids.push({ caseId, windowMs });
            opened++;
          } catch (err) {
            const k = (err as Error).name;
            failures[k] = (failures[k] ?? 0) + 1;
          }
          if (opened % 1000 === 0 && opened) log(`opened ${opened}`);
        }
      }),
    );
    return { ids, failures };
  };
  /** Cases whose level-0 notification is recorded: their run is waiting on its acknowledgement timer. */
  const waiting = async () =>
    (waitingNow = (
      await sql<{ n: number }[]>`select count(*)::int as n from app.crisis_events where type = 'notified'`
    )[0]!.n);
  const waitingTimer = setInterval(() => void waiting().catch(() => {}), 5000);

  try {
    // 1. The waiting cases.
    const o0 = Date.now();
    const bulk = await openMany(CASES, 'low', () => undefined);
    const openS = (Date.now() - o0) / 1000;
    log(`opened ${bulk.ids.length} in ${openS.toFixed(0)} s; waiting for every case to reach its timer`);
    while ((await waiting()) < bulk.ids.length && Date.now() - o0 < 60 * 60_000) await sleep(2000);
    const waitingS = (Date.now() - o0) / 1000;
    const running = await new Client({ connection }).workflow.count('ExecutionStatus="Running"');

    // 2. The burst. A case's deadline is set by its run (the level-0 notification's time plus its window), so
    // the window is chosen when the case is opened, and the run's own delay shifts the deadline. The burst is
    // therefore opened at 80 % of the rate the worker brought cases to their timer in step 1 (no backlog, a
    // steady delay), and falls due a minute after the last case can have been opened.
    const rate = (0.8 * bulk.ids.length) / Math.max(1, waitingS);
    const burstStart = Date.now() + (BURST / rate) * 1000 + 60_000;
    const b0 = Date.now();
    const cpu = () =>
      sampleGroups({ w: stack.pids.wellflowWorker!, d: stack.pids.wellflow! }, ({ comm, root }) =>
        root === 'w'
          ? 'worker'
          : comm.startsWith('temporal')
            ? 'devServer'
            : comm.startsWith('postgres')
              ? 'postgres'
              : 'api',
      );
    const cpuBefore = cpu();
    const burst = await openMany(BURST, 'high', (i) => burstStart + (i * WINDOW_MS) / BURST - Date.now(), rate);
    log(`opened the burst of ${burst.ids.length}; its deadlines fall due from ${new Date(burstStart).toISOString()}`);

    // 3. Every burst case escalates (and notifies level 1); lateness per case.
    const burstIds = burst.ids.map((b) => b.caseId);
    const windows = new Map(burst.ids.map((b) => [b.caseId, b.windowMs]));
    type Row = { case_id: string; type: string; level: number | null; at: Date };
    let rows: Row[] = [];
    const deadline = burstStart + WINDOW_MS + 10 * 60_000;
    for (;;) {
      rows = await sql<Row[]>`
        select case_id::text, type, (data->>'level')::int as level, at from app.crisis_events
        where case_id = any(${burstIds}::uuid[]) and (type = 'escalated' or type = 'notified')`;
      const escalated = rows.filter((r) => r.type === 'escalated').length;
      const notified1 = rows.filter((r) => r.type === 'notified' && r.level === 1).length;
      if ((escalated >= burstIds.length && notified1 >= burstIds.length) || Date.now() > deadline) break;
      await sleep(2000);
    }
    const cpuAfter = cpu();
    clearInterval(timer);
    clearInterval(waitingTimer);
    await waiting();
    sample();
    const byCase = new Map<string, Partial<Record<'n0' | 'esc' | 'n1', number>>>();
    for (const r of rows) {
      const c = byCase.get(r.case_id) ?? {};
      // Level 0's notification, the first escalation (to level 1) and level 1's notification: a case whose
      // level-1 deadline also passes while the bench waits escalates again, to level 2, which is not this timer.
      const key = r.level === 0 ? 'n0' : r.level === 1 ? (r.type === 'escalated' ? 'esc' : 'n1') : undefined;
      if (key) c[key] = r.at.getTime();
      byCase.set(r.case_id, c);
    }
    const late = { escalated: [] as number[], notifiedNext: [] as number[] };
    const dues: number[] = [];
    for (const [id, c] of byCase) {
      if (c.n0 === undefined) continue;
      const due = c.n0 + windows.get(id)!;
      dues.push(due);
      if (c.esc !== undefined) late.escalated.push(c.esc - due);
      if (c.n1 !== undefined) late.notifiedNext.push(c.n1 - due);
    }
    const stat = (xs: number[]) => ({ n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100) });
    // Lateness by when the deadline fell due (10 s slices of the window): flat = each wake-up costs the same;
    // rising = wake-ups queue behind each other (the burst outruns what the stack can process).
    const bySlice: Record<number, number[]> = {};
    for (const [id, c] of byCase) {
      if (c.n0 === undefined || c.esc === undefined) continue;
      const due = c.n0 + windows.get(id)!;
      (bySlice[Math.floor((due - burstStart) / 10_000) * 10] ??= []).push(c.esc - due);
    }
    const slices = Object.entries(bySlice).map(([s0, xs]) => ({ fromS: Number(s0), ...stat(xs) }));
    // Where the lateness goes, from each burst run's history (server timer queue, matching, worker).
    const attribution = await timerAttribution(
      new Client({ connection }),
      burstIds.map((id) => caseWorkflowId(`bench-case-${id}`)),
    );
    const perSecond = new Map<number, number>();
    for (const d of dues) perSecond.set(Math.floor(d / 1000), (perSecond.get(Math.floor(d / 1000)) ?? 0) + 1);
    const at = (n: number) => samples.find((s) => s.waiting >= n);
    const result = {
      when: new Date().toISOString(),
      command: `npx tsx bench/crisis-open-cases.ts ${process.argv.slice(2).join(' ')}`.trim(),
      cases: { requested: CASES, opened: bulk.ids.length, failures: bulk.failures, concurrency: CONCURRENCY },
      open: {
        seconds: +openS.toFixed(1),
        perSecond: +(bulk.ids.length / openS).toFixed(1),
        allWaitingAfterS: waitingS,
      },
      runningWorkflows: running.count,
      workerCache: 'critical 200, default 400 (src/worker/tuning.ts)',
      workerRssMbByWaiting: [200, 1000, 2000, 5000, CASES]
        .filter((n) => n <= CASES)
        .map((n) => ({ waiting: n, mb: at(n)?.workerMb })),
      workerRssMb: {
        start: samples[0]?.workerMb,
        peak: Math.max(...samples.map((s) => s.workerMb)),
        end: samples.at(-1)?.workerMb,
      },
      devServerRssMb: {
        start: samples[0]?.devServerMb,
        peak: Math.max(...samples.map((s) => s.devServerMb)),
        end: samples.at(-1)?.devServerMb,
      },
      burst: {
        opened: burst.ids.length,
        failures: burst.failures,
        openSeconds: +((Date.now() - b0) / 1000).toFixed(1),
        dueFrom: new Date(burstStart).toISOString(),
        windowS: WINDOW_MS / 1000,
        /** When the deadlines actually fell due (each run's notification time plus its window), seconds. */
        dueSpreadS: +((Math.max(...dues) - Math.min(...dues)) / 1000).toFixed(1),
        duePerSecondMax: Math.max(...perSecond.values()),
        latenessMs: { escalated: stat(late.escalated), nextLevelNotified: stat(late.notifiedNext) },
        /** CPU per burst case over the burst phase (its opening, level-0 notice, escalation, level-1 notice). */
        cpuMsPerCase: Object.fromEntries(
          Object.keys(cpuAfter).map((g) => [g, Math.round((cpuAfter[g]!.cpuMs - (cpuBefore[g]?.cpuMs ?? 0)) / BURST)]),
        ),
        escalatedLatenessByDueSlice: slices,
        fromHistory: {
          n: attribution.n,
          timerFiredLateMs: stat(attribution.firedMs),
          taskScheduledAfterFireMs: stat(attribution.scheduledMs),
          taskPickedUpMs: stat(attribution.pickedMs),
          stickyShare: attribution.stickyShare,
        },
      },
      loadavg: { before: loadBefore, after: os.loadavg() },
      cpus: os.cpus().length,
      samples,
    };
    const stamp = result.when.replace(/[:.]/g, '-');
    const out = path.join(ROOT, 'bench', 'results', `crisis-open-cases-${stamp}`);
    fs.writeFileSync(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
    const l = result.burst.latenessMs;
    const fh = result.burst.fromHistory;
    const md = [
      `# crisis-open-cases ${result.when} — \`${result.command}\``,
      '',
      `- opened ${bulk.ids.length}/${CASES} cases (low tier, 24 h timer) in ${result.open.seconds} s (${result.open.perSecond}/s, concurrency ${CONCURRENCY}), failures ${JSON.stringify(bulk.failures)}; all waiting on their timer after ${waitingS.toFixed(0)} s; running workflows ${running.count}`,
      `- worker (default+critical, cache 200 critical) RSS by cases waiting on their timer: ${result.workerRssMbByWaiting.map((x) => `${x.waiting}: ${x.mb ?? '?'} MB`).join(', ')}; start ${result.workerRssMb.start}, peak ${result.workerRssMb.peak}, end ${result.workerRssMb.end} MB`,
      `- dev server RSS: start ${result.devServerRssMb.start}, peak ${result.devServerRssMb.peak}, end ${result.devServerRssMb.end} MB`,
      `- burst: ${burst.ids.length} high-tier deadlines aimed at ${WINDOW_MS / 1000} s from ${result.burst.dueFrom}; they fell due over ${result.burst.dueSpreadS} s, at most ${result.burst.duePerSecondMax} in one second`,
      `- timer lateness (ms), escalation: n ${l.escalated.n}, p50 ${l.escalated.p50}, p99 ${l.escalated.p99}, max ${l.escalated.max}; next level notified: n ${l.nextLevelNotified.n}, p50 ${l.nextLevelNotified.p50}, p99 ${l.nextLevelNotified.p99}, max ${l.nextLevelNotified.max}`,
      `- escalation lateness p50/p99 by due time (10 s slices): ${slices.map((x) => `${x.fromS} s: ${x.p50}/${x.p99}`).join(', ')}`,
      `- from ${attribution.n} histories (p50/p99 ms): timer fired after its due time ${fh.timerFiredLateMs.p50}/${fh.timerFiredLateMs.p99}; task scheduled after the fire ${fh.taskScheduledAfterFireMs.p50}/${fh.taskScheduledAfterFireMs.p99}; task picked up by the worker ${fh.taskPickedUpMs.p50}/${fh.taskPickedUpMs.p99}; offered on the worker's sticky queue ${Math.round(fh.stickyShare * 100)} %`,
      `- CPU ms per burst case (burst phase, by process): ${JSON.stringify(result.burst.cpuMsPerCase)}`,
      `- load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${result.loadavg.after.map((x) => x.toFixed(1)).join(' ')} (${result.cpus} CPUs, shared)`,
      '',
    ].join('\n');
    fs.writeFileSync(`${out}.md`, md);
    console.log(md);
    log(`wrote ${path.relative(ROOT, out)}.{json,md}`);
  } finally {
    clearInterval(timer);
    clearInterval(waitingTimer);
    await sql.end({ timeout: 5 });
    await connection.close();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
