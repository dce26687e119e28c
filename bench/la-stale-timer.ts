// The sdk-core panic `receive half not dropped` (local_activities.rs, TimeoutBag::mark_started) logged when a worker
// shuts down soon after a local activity was retried (issue 14; docs/performance.md, "The sdk-core panic at
// shutdown"). Each case runs in its own child process on one dev server: a workflow with one local activity
// (3 s start-to-close), then the worker shuts down (drained: nothing is in flight), its NativeConnection is closed
// or kept, and the child lives 5 s more. The panic lines on the child's stderr are counted.
//   npx tsx bench/la-stale-timer.ts
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startBareDevServer } from './lib/stack';

const CASES = {
  /** The first attempt fails, the second succeeds; the worker shuts down at once, its connection stays open. */
  'retried, shut down at once, connection kept': { failFirst: true, keepMs: 0, keepConnection: true },
  /** The same, and the worker's NativeConnection is closed right after the worker stops (src/worker's order). */
  'retried, shut down at once, connection closed': { failFirst: true, keepMs: 0, keepConnection: false },
  /** One attempt, no retry; connection kept. */
  'not retried, shut down at once, connection kept': { failFirst: false, keepMs: 0, keepConnection: true },
  /** Retried, but the worker keeps running 4 s (past the first attempt's 3 s timer); connection kept. */
  'retried, shut down after 4 s, connection kept': { failFirst: true, keepMs: 4_000, keepConnection: true },
} as const;
type CaseName = keyof typeof CASES;
const PANIC = 'receive half not dropped';

/** One workflow on its own worker; the worker is shut down (drained) and unreachable when this returns. */
async function runWorkflow(address: string, name: CaseName): Promise<void> {
  const { failFirst, keepMs, keepConnection } = CASES[name];
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: 'la-stale-timer',
    workflowsPath: path.join(__dirname, 'lib', 'hop-workflows.ts'),
    activities: {
      async flaky(fail: boolean) {
        if (fail && Context.current().info.attempt === 1) throw ApplicationFailure.retryable('first attempt fails');
      },
    },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  await new Client({ connection }).workflow.execute('localRetry', {
    taskQueue: 'la-stale-timer',
    workflowId: `la-stale-timer-${Date.now()}-${Math.random()}`,
    args: [failFirst],
  });
  await new Promise((r) => setTimeout(r, keepMs));
  worker.shutdown();
  await running;
  if (!keepConnection) await native.close();
  await connection.close();
}

async function runCase(address: string, name: CaseName): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  await runWorkflow(address, name);
  // The process lives on (as an API process does after its workers stop); once the worker object is collected,
  // sdk-core drops the native worker with its local-activity manager.
  for (let i = 0; i < 10; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const [, , flag, address, name] = process.argv;
  if (flag === '--case') return runCase(address!, name as CaseName);
  const server = await startBareDevServer();
  try {
    for (const name of Object.keys(CASES) as CaseName[]) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', __filename, '--case', server.address, name],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      const panics = child.stderr.split('\n').filter((l) => l.includes(PANIC)).length;
      console.log(`${name}: exit ${child.status}, ${panics} panic line(s) "${PANIC}"`);
    }
  } finally {
    await server.stop();
  }
}

void main();
