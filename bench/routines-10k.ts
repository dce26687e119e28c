// Routines at scale (issue 15, docs/routines.md): starts its own stack (`wellflow dev` serving the heavy queue,
// and a separate `wellflow worker` for default+critical, whose memory is measured), then
//   1. creates N tasks (default 10,000: 100 pro people × 100 "drink water every 2 h") through the API with a
//      fixed concurrency, recording the time and the Schedules created per second (one per task);
//   2. makes F of them (default 1,000) fire within one minute (each task's schedule triggered, spread evenly
//      over 60 s: the dev server cannot be time-skipped), sampling the worker process tree's RSS every second
//      until every run has delivered its reminder (each run then waits for its answer, as a real one would);
//   3. writes bench/results/routines-10k-<time>.{json,md} with the load average before and after.
// Usage: npx tsx bench/routines-10k.ts [--tasks 10000] [--fire 1000] [--concurrency 8]
// The machine is shared: absolute numbers are noisy; read them with the recorded load average.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { signToken } from '../src/api/auth';
import { taskScheduleId } from '../src/contracts/task-execution';
import { ACTIVE_TASK_CAPS } from '../src/domain/routines/vocabulary';
import { sampleGroups } from './lib/procs';
import { ROOT, startBenchStack } from './lib/stack';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    fire: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
  },
});
const TASKS = Number(values.tasks);
const FIRE = Math.min(Number(values.fire), TASKS);
const CONCURRENCY = Number(values.concurrency);
const PER_PERSON = ACTIVE_TASK_CAPS.pro;
const log = (m: string) => console.log(`[${new Date().toISOString()}] ${m}`);

async function main() {
  const loadBefore = os.loadavg();
  const stack = await startBenchStack({ split: true, log });
  const sql = postgres(stack.databaseUrl, { max: 4, onnotice: () => {} });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  try {
    // People at pro (the level the billing service would announce), so each may have 100 active tasks.
    const people = Array.from({ length: Math.ceil(TASKS / PER_PERSON) }, (_, i) => `bench-${i}`);
    for (const p of people)
      await sql`insert into app.subscriptions (user_id, level, changed_at) values (${p}, 'pro', now()) on conflict do nothing`;
    const tokens = new Map<string, string>();
    for (const p of people) tokens.set(p, await signToken(stack.jwtSecret, { sub: p, role: 'user' }, 6 * 3600));

    // 1. Create.
    const ids: string[] = [];
    const failures: Record<string, number> = {};
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TASKS) {
          const i = next++;
          const person = people[Math.floor(i / PER_PERSON)]!;
          const res = await fetch(`${stack.apiUrl}/v1/tasks/from-template`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${tokens.get(person)}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ templateId: 'drink-water', config: {}, timezone: 'Europe/Berlin' }),
          });
          if (res.status === 201) ids.push(((await res.json()) as { id: string }).id);
          else failures[res.status] = (failures[res.status] ?? 0) + 1;
          if (i % 1000 === 999) log(`created ${i + 1}`);
        }
      }),
    );
    const createS = (performance.now() - t0) / 1000;
    log(`created ${ids.length} tasks in ${createS.toFixed(1)} s (${(ids.length / createS).toFixed(1)} schedules/s)`);
    const openAfterCreate = await client.workflow.count('ExecutionStatus="Running"');

    // 2. Fire F within one minute while sampling the worker's memory.
    const workerRoots = { worker: stack.pids.wellflowWorker! };
    const rss: number[] = [];
    const sample = () => rss.push(Math.round(sampleGroups(workerRoots, () => 'worker').worker?.rssMb ?? 0));
    sample();
    const timer = setInterval(sample, 1000);
    const fired = ids.slice(0, FIRE);
    const f0 = performance.now();
    let triggerErrors = 0;
    await Promise.all(
      fired.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, (i * 60_000) / FIRE));
        await client.schedule
          .getHandle(taskScheduleId(id))
          .trigger()
          .catch(() => triggerErrors++);
      }),
    );
    const triggerS = (performance.now() - f0) / 1000;
    let delivered = 0;
    const deadline = Date.now() + 10 * 60_000;
    while (Date.now() < deadline) {
      const rows = await sql<{ n: number }[]>`
        select count(distinct execution_id)::int as n from app.inbox_messages where kind = 'reminder'`;
      delivered = rows[0]?.n ?? 0;
      if (delivered >= fired.length) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const deliverS = (performance.now() - f0) / 1000;
    clearInterval(timer);
    sample();

    const result = {
      when: new Date().toISOString(),
      tasks: { requested: TASKS, created: ids.length, failures, people: people.length, concurrency: CONCURRENCY },
      create: { seconds: +createS.toFixed(1), schedulesPerSecond: +(ids.length / createS).toFixed(1) },
      runningWorkflowsAfterCreate: openAfterCreate.count,
      fire: {
        triggered: fired.length,
        triggerErrors,
        triggerSeconds: +triggerS.toFixed(1),
        delivered,
        allDeliveredAfterSeconds: +deliverS.toFixed(1),
      },
      workerRssMb: { start: rss[0], peak: Math.max(...rss), end: rss[rss.length - 1], samples: rss.length },
      loadavg: { before: loadBefore, after: os.loadavg() },
      cpus: os.cpus().length,
      note: 'Shared 2-core machine with other people running tests: read the numbers with the load average.',
    };
    const stamp = result.when.replace(/[:.]/g, '-');
    const out = path.join(ROOT, 'bench', 'results', `routines-10k-${stamp}`);
    fs.writeFileSync(`${out}.json`, JSON.stringify(result, null, 2) + '\n');
    fs.writeFileSync(
      `${out}.md`,
      [
        `# routines-10k ${result.when}`,
        '',
        `- tasks created through the API: ${ids.length}/${TASKS} (${people.length} pro people, concurrency ${CONCURRENCY}), failures ${JSON.stringify(failures)}`,
        `- time: ${result.create.seconds} s, Schedules created: ${result.create.schedulesPerSecond}/s`,
        `- running workflows after creating them all: ${openAfterCreate.count} (state between runs is in PostgreSQL)`,
        `- fired ${fired.length} within ${result.fire.triggerSeconds} s; all reminders delivered after ${result.fire.allDeliveredAfterSeconds} s (${delivered} delivered)`,
        `- worker process tree RSS: start ${result.workerRssMb.start} MB, peak ${result.workerRssMb.peak} MB, end ${result.workerRssMb.end} MB`,
        `- load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${result.loadavg.after.map((l) => l.toFixed(2)).join(' ')} (${result.cpus} CPUs, shared)`,
        '',
      ].join('\n'),
    );
    log(`wrote ${out}.json and .md`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await sql.end({ timeout: 5 });
    await connection.close();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
