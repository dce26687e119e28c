// Where the Wellflow node process spends its CPU on text meals (issue 14, docs/performance.md "Where the node
// process's time goes"). Starts its own stack (bench/lib/stack.ts) with a sampling profiler preloaded into the
// `wellflow` process(es) (bench/lib/cpu-profile-preload.js), starts it once the stack is warm, sends N text
// meals at a fixed rate from 1,000 people through POST /v1/meals, waits until every meal is closed, stops the
// stack (the profile is written at exit) and sums the main thread's samples by category. The profiler slows
// the process (about a tenth at 1 ms sampling): read shares, and take CPU per meal from bench/meal-pipeline.ts.
// The workflow code runs in the SDK's worker thread, which this does not sample (its CPU is in the process
// totals of the meal bench).
//   npx tsx bench/meal-profile.ts [--meals 600] [--rate 12] [--split] [--keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { signToken } from '../src/api/auth';
import { summarizeProfile } from './lib/cpu-profile-summary';
import { sampleGroups } from './lib/procs';
import { ROOT, startBenchStack } from './lib/stack';
import { benchLog, postBenchMeal } from './lib/meal-texts';

const { values } = parseArgs({
  options: {
    meals: { type: 'string', default: '600' },
    // 12/s: below the one-process stack's saturation on this machine, so the profile is of work, not queueing.
    rate: { type: 'string', default: '12' },
    split: { type: 'boolean', default: false },
    // Leave the .cpuprofile files (for Chrome DevTools or a caller analysis) instead of removing them.
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.meals);
const RATE = Number(values.rate);
const log = benchLog;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK_MS = 10; // USER_HZ

/** CPU ms of each thread of a process, summed by thread name (/proc/<pid>/task/<tid>/stat). */
function threadCpu(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
      const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * TICK_MS;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

async function main() {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-profile-'));
  process.env.WELLFLOW_CPU_PROFILE_DIR = profileDir;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'lib', 'cpu-profile-preload.js')}`;
  const stack = await startBenchStack({ split: values.split!, log });
  const sql = postgres(stack.databaseUrl, { max: 2, onnotice: () => {} });
  const tokens = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => signToken(stack.jwtSecret, { sub: `profile-${i}`, role: 'user' }, 3600)),
  );
  const node = Object.entries(stack.pids).filter(([k]) => k.startsWith('wellflow'));
  const cpuBefore = sampleGroups(stack.pids, ({ root, isRoot }) => (isRoot ? root : `${root}-children`));
  const threadsBefore = Object.fromEntries(node.map(([k, pid]) => [k, threadCpu(pid)]));
  for (const [, pid] of node) process.kill(pid, 'SIGUSR2');
  const load = os.loadavg();
  log(`profiling; ${N} meals at ${RATE}/s (load ${load.map((l) => l.toFixed(1)).join(' ')})`);
  const t0 = Date.now() + 100;
  const ids: string[] = [];
  const sends: Promise<void>[] = [];
  for (let i = 0; i < N; i++) {
    const wait = t0 + (i * 1000) / RATE - Date.now();
    if (wait > 0) await sleep(wait);
    sends.push(
      postBenchMeal(stack.apiUrl, tokens, i).then(async (r) => {
        const body = (await r.json()) as { mealId?: string };
        if (r.status === 202 && body.mealId) ids.push(body.mealId);
      }),
    );
  }
  await Promise.all(sends);
  for (let open = ids.length; open > 0; await sleep(250)) {
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from app.meals where id = any(${ids}::uuid[]) and closed_at is null`;
    open = row!.n;
  }
  const cpuAfter = sampleGroups(stack.pids, ({ root, isRoot }) => (isRoot ? root : `${root}-children`));
  // By thread: the main JS thread is named after the process; the SDK's workflow thread, V8's GC helpers,
  // libuv's pool and the Rust core's tokio threads have their own names.
  const threadCpuMsPerMeal = Object.fromEntries(
    node.map(([k, pid]) => {
      const after = threadCpu(pid);
      const per = Object.entries(after)
        .map(
          ([name, ms]) =>
            [name, +((ms - (threadsBefore[k]![name] ?? 0)) / Math.max(1, ids.length)).toFixed(1)] as const,
        )
        .filter(([, ms]) => ms >= 0.1)
        .sort((a, b) => b[1] - a[1]);
      return [k, Object.fromEntries(per)];
    }),
  );
  await sql.end();
  await stack.stop();
  const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const processCpuMsPerMeal = Object.fromEntries(
    node.map(([k]) => [k, +((cpuAfter[k]!.cpuMs - cpuBefore[k]!.cpuMs) / ids.length).toFixed(1)]),
  );
  const out = {
    at: new Date().toISOString(),
    command: `npx tsx bench/meal-profile.ts --meals ${N} --rate ${RATE}${values.split ? ' --split' : ''}`,
    loadavg: load,
    loadavgAfter: os.loadavg(),
    meals: ids.length,
    processCpuMsPerMeal,
    threadCpuMsPerMeal,
    profiles: files.map((f) => {
      const s = summarizeProfile(path.join(profileDir, f));
      return { file: f, mainThreadBusyMsPerMeal: +(s.busyMs / ids.length).toFixed(1), ...s };
    }),
  };
  const name = `meal-profile-${out.at.replace(/[:.]/g, '-')}`;
  const md = [
    `# ${out.command} (${out.at})`,
    '',
    `${out.meals} meals; load average ${load.map((l) => l.toFixed(1)).join(' ')} → ${out.loadavgAfter.map((l) => l.toFixed(1)).join(' ')}; process CPU ms per meal (all threads, profiler on): ${JSON.stringify(processCpuMsPerMeal)}`,
    '',
    `By thread (ms per meal): ${JSON.stringify(threadCpuMsPerMeal)}`,
    ...out.profiles.flatMap((p) => [
      '',
      `## ${p.file}: main thread busy ${p.mainThreadBusyMsPerMeal} ms per meal`,
      '',
      '| category | share of busy |',
      '|---|---|',
      ...p.categories
        .filter((c) => c.what !== '(idle)')
        .map((c) => `| ${c.what} | ${(c.shareOfBusy * 100).toFixed(1)} % |`),
      '',
      '| heaviest frames (self time) | share of busy |',
      '|---|---|',
      ...p.topSelf.map((c) => `| \`${c.what}\` | ${(c.shareOfBusy * 100).toFixed(1)} % |`),
    ]),
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', `${name}.json`), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', `${name}.md`), `${md}\n`);
  if (values.keep) console.log(`profiles kept in ${profileDir}`);
  else fs.rmSync(profileDir, { recursive: true, force: true });
  console.log(md);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
