// Timer lateness when many timers fall due together (issue 14, item 6; docs/performance.md): two dev servers
// started by startDevServer, one as Wellflow starts it (DEV_SERVER_DYNAMIC_CONFIG) and one that also raises the
// timer queue's poll limit (`history.timerProcessorMaxPollRPS`, server default 20 per shard), each with a bare
// worker. `--timers` workflows per server each sleep until their own due time, the due times spread evenly over
// `--window` seconds; lateness = the workflow time of the task that woke the run (it returns Date.now()) minus
// its due time. Bare Temporal: no Wellflow code in the runs, so this is the engine's share of crisis lateness.
//   npx tsx bench/timer-burst.ts [--timers 1000] [--window 10]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../src/temporal/dev-server';
import { ROOT, startBareDevServer } from './lib/stack';

const { values } = parseArgs({
  options: { timers: { type: 'string', default: '1000' }, window: { type: 'string', default: '10' } },
});
const TIMERS = Number(values.timers);
const WINDOW_MS = Number(values.window) * 1000;
const ARMS = {
  wellflowDevServer: DEV_SERVER_DYNAMIC_CONFIG,
  timerLimitRaised: { ...DEV_SERVER_DYNAMIC_CONFIG, 'history.timerProcessorMaxPollRPS': 1000 },
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!) : NaN;
};

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const loadBefore = os.loadavg();
  const arms = await Promise.all(
    Object.entries(ARMS).map(async ([name, dynamicConfig]) => {
      const server = await startBareDevServer(dynamicConfig);
      const native = await NativeConnection.connect({ address: server.address });
      const worker = await Worker.create({
        connection: native,
        taskQueue: 'timers',
        workflowsPath: path.join(__dirname, 'lib', 'hop-workflows.ts'),
        activities: {},
      });
      return { name, server, native, worker, running: worker.run(), client: new Client({ connection: native }) };
    }),
  );
  // Every run is started (and waiting on its timer) well before the first one falls due.
  const first = Date.now() + 60_000 + TIMERS * 20;
  const handles = await Promise.all(
    arms.map(async (arm) => {
      const out: { dueAt: number; result: Promise<number> }[] = [];
      for (let i = 0; i < TIMERS; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, TIMERS - i) }, async (_, j) => {
            const dueAt = Math.round(first + ((i + j) * WINDOW_MS) / TIMERS);
            const h = await arm.client.workflow.start('sleeper', {
              taskQueue: 'timers',
              workflowId: `${arm.name}-${i + j}-${Date.now()}`,
              args: [dueAt],
            });
            return { dueAt, result: h.result() as Promise<number> };
          }),
        );
        out.push(...batch);
      }
      return out;
    }),
  );
  const startedAllBy = Date.now();
  const summary: Record<string, unknown> = {};
  for (const [k, arm] of arms.entries()) {
    const late = await Promise.all(handles[k]!.map(async (h) => (await h.result) - h.dueAt));
    summary[arm.name] = {
      n: late.length,
      p50: pct(late, 50),
      p90: pct(late, 90),
      p99: pct(late, 99),
      max: pct(late, 100),
    };
  }
  for (const arm of arms) {
    arm.worker.shutdown();
    await arm.running;
    await arm.native.close();
    await arm.server.stop();
  }
  const at = new Date().toISOString();
  const out = {
    at,
    command: `npx tsx bench/timer-burst.ts ${process.argv.slice(2).join(' ')}`.trim(),
    config: { timers: TIMERS, windowS: WINDOW_MS / 1000, arms: ARMS, allStartedBeforeFirstDue: startedAllBy < first },
    loadavg: { before: loadBefore, after: os.loadavg() },
    latenessMs: summary,
  };
  const base = path.join(ROOT, 'bench', 'results', `timer-burst-${at.replace(/[:.]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
