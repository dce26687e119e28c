// The fixed ~40 ms per hop (issue 14, item 4), reproduced with bare Temporal and removed: two dev servers started
// the way Wellflow starts them (src/temporal/dev-server.ts), one with the server's default dynamic config and one
// with DEV_SERVER_DYNAMIC_CONFIG, each with its own worker (SDK defaults, no Wellflow code) running a workflow
// that calls one no-op activity `--hops` times in a row; each round runs one workflow on both servers at once.
// Per hop it reads the run's history: ActivityTaskCompleted → WorkflowTaskStarted is the wait this bench is about (the
// server handing the new workflow task to the worker's already waiting poll), WorkflowTaskStarted → Completed is
// the worker. Warm-up rounds first: the server's limiter has a burst, so the first ~20 hops after start are fast.
//   npx tsx bench/hop-latency.ts [--rounds 10] [--hops 10] [--warm 4] [--parallel 1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createLogger } from '../src/logger';
import { resolveTemporalCli } from '../src/temporal/cli-resolver';
import { DEV_SERVER_DYNAMIC_CONFIG, type DevServer, startDevServer } from '../src/temporal/dev-server';
import { sampleGroups } from './lib/procs';
import { ROOT, freePort } from './lib/stack';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    hops: { type: 'string', default: '10' },
    warm: { type: 'string', default: '4' },
    // Workflows per server per round, run at once: the limiter is per shard, so this shows the wait (and the
    // server's CPU) when many runs share it, as under load.
    parallel: { type: 'string', default: '1' },
  },
});
const ROUNDS = Number(values.rounds);
const HOPS = Number(values.hops);
const WARM = Number(values.warm);
const PARALLEL = Number(values.parallel);
const ET = temporal.api.enums.v1.EventType;
const ARMS = {
  serverDefault: {},
  wellflowDevServer: DEV_SERVER_DYNAMIC_CONFIG,
} as const;
type ArmName = keyof typeof ARMS;

interface Arm {
  name: ArmName;
  server: DevServer;
  client: Client;
  connection: Connection;
  worker: Worker;
  running: Promise<void>;
  native: NativeConnection;
  /** Milliseconds per hop: activity completed → next workflow task started; and the first task after start. */
  afterActivity: number[];
  afterStart: number[];
  workerTask: number[];
  runMs: number[];
  cpuMs: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1) : NaN;
};
const mean = (xs: number[]) => +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1);
const cpuOf = (pid: number | undefined) => (pid ? (sampleGroups({ s: pid }, () => 'server').server?.cpuMs ?? 0) : 0);

async function startArm(name: ArmName, cliPath: string): Promise<Arm> {
  const logger = createLogger('warn');
  const server = await startDevServer({
    cliPath,
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    searchAttributes: false,
    dynamicConfig: ARMS[name],
    logger,
  });
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: 'hops',
    workflowsPath: path.join(__dirname, 'lib', 'hop-workflows.ts'),
    activities: { noop: async (n: number) => n },
  });
  const arm: Arm = {
    name,
    server,
    client: new Client({ connection }),
    connection,
    worker,
    native,
    running: worker.run(),
    afterActivity: [],
    afterStart: [],
    workerTask: [],
    runMs: [],
    cpuMs: 0,
  };
  return arm;
}

/** One run of `hops`; records its gaps from history unless it is a warm-up round. */
async function runOnce(arm: Arm, kind: 'remote' | 'local', record: boolean): Promise<void> {
  const t0 = performance.now();
  const handle = await arm.client.workflow.start('hops', {
    taskQueue: 'hops',
    workflowId: `${arm.name}-${kind}-${Date.now()}-${Math.random()}`,
    args: [HOPS, kind],
  });
  await handle.result();
  const runMs = performance.now() - t0;
  if (!record || kind !== 'remote') return;
  const events = (await handle.fetchHistory()).events ?? [];
  const at = events.map((e) => ({
    type: e.eventType!,
    ms: Number(e.eventTime!.seconds) * 1000 + (e.eventTime!.nanos ?? 0) / 1e6,
  }));
  let lastTrigger: { type: number; ms: number } | undefined;
  let started = 0;
  for (const e of at) {
    if (e.type === ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED || e.type === ET.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
      lastTrigger = e;
    if (e.type === ET.EVENT_TYPE_WORKFLOW_TASK_STARTED && lastTrigger) {
      const gap = e.ms - lastTrigger.ms;
      if (lastTrigger.type === ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) arm.afterStart.push(gap);
      else arm.afterActivity.push(gap);
      started = e.ms;
    }
    if (e.type === ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) arm.workerTask.push(e.ms - started);
  }
  arm.runMs.push(runMs);
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cliPath = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH, { install: false, log: () => {} });
  const arms = [await startArm('serverDefault', cliPath), await startArm('wellflowDevServer', cliPath)];
  const loads: number[][] = [os.loadavg()];
  for (let r = 0; r < WARM + ROUNDS; r++) {
    if (r === WARM) for (const arm of arms) arm.cpuMs = -cpuOf(arm.server.pid); // the measured rounds only
    // Both servers at once, so a load spike on the shared machine hits both arms alike, and neither server idles
    // between its runs (an idle limiter refills its burst, which would hide the wait being measured).
    await Promise.all(arms.flatMap((arm) => Array.from({ length: PARALLEL }, () => runOnce(arm, 'remote', r >= WARM))));
  }
  loads.push(os.loadavg());
  for (const arm of arms) arm.cpuMs += cpuOf(arm.server.pid);
  const summary = Object.fromEntries(
    arms.map((a) => [
      a.name,
      {
        hops: a.afterActivity.length,
        activityToWorkflowTaskMs: {
          p50: pct(a.afterActivity, 50),
          p90: pct(a.afterActivity, 90),
          max: pct(a.afterActivity, 100),
          mean: mean(a.afterActivity),
        },
        startToFirstWorkflowTaskMs: { p50: pct(a.afterStart, 50), p90: pct(a.afterStart, 90) },
        workerWorkflowTaskMs: { p50: pct(a.workerTask, 50) },
        runMs: { p50: pct(a.runMs, 50), p90: pct(a.runMs, 90) },
        serverCpuMsPerHop: +(a.cpuMs / Math.max(1, a.afterActivity.length + a.afterStart.length)).toFixed(2),
      },
    ]),
  );
  for (const a of arms) {
    a.worker.shutdown();
    await a.running;
    await a.native.close();
    await a.connection.close();
    await a.server.stop();
  }
  const at = new Date().toISOString();
  const out = {
    at,
    command: `npx tsx bench/hop-latency.ts ${process.argv.slice(2).join(' ')}`.trim(),
    config: { rounds: ROUNDS, hops: HOPS, warm: WARM, parallel: PARALLEL, arms: ARMS },
    loadavg: { start: loads[0], end: loads[1] },
    machine: { cpus: os.cpus().length, node: process.version },
    summary,
  };
  const base = path.join(ROOT, 'bench', 'results', `hop-latency-${at.replace(/[:.]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(out, null, 2)}\n`);
  const lines = [
    `Hop latency, ${at} — \`${out.command}\`; load average (1/5/15 min) ${loads[0]!.map((l) => l.toFixed(1)).join(' ')} → ${loads[1]!.map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| dev server | activity completed → next workflow task started p50 / p90 / max, mean (ms) | start → first workflow task p50 (ms) | worker per workflow task p50 (ms) | run of ' +
      `${HOPS} hops p50 / p90 (ms) | server CPU ms per hop |`,
    '|---|---|---|---|---|---|',
    ...arms.map((a) => {
      const s = summary[a.name]!;
      return `| ${a.name} (${JSON.stringify(ARMS[a.name])}) | ${s.activityToWorkflowTaskMs.p50} / ${s.activityToWorkflowTaskMs.p90} / ${s.activityToWorkflowTaskMs.max}, ${s.activityToWorkflowTaskMs.mean} | ${s.startToFirstWorkflowTaskMs.p50} | ${s.workerWorkflowTaskMs.p50} | ${s.runMs.p50} / ${s.runMs.p90} | ${s.serverCpuMsPerHop} |`;
    }),
    '',
  ];
  fs.writeFileSync(`${base}.md`, lines.join('\n'));
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
