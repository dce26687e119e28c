// Eager workflow start (issue 14, item 2; docs/performance.md): the same workflow (six no-op local activities, the
// shape of a text meal) started on one dev server with and without `requestEagerStart`, alternating, from a Client
// that shares the worker's NativeConnection (the SDK's condition for eager start). Eager: the start's response
// carries the first workflow task straight to this worker, skipping the server's matching. Prints start ack and
// start → result p50/p90 per arm and the load average.   N=60 npx tsx bench/eager-start.ts
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startBareDevServer } from './lib/stack';
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1);
};
async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startBareDevServer();
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: 'eager',
    workflowsPath: path.join(__dirname, 'lib', 'hop-workflows.ts'),
    activities: { noop: async (n: number) => n },
  });
  const running = worker.run();
  const client = new Client({ connection: native });
  const res: Record<string, { ack: number[]; close: number[]; eager: number }> = {
    eager: { ack: [], close: [], eager: 0 },
    plain: { ack: [], close: [], eager: 0 },
  };
  const N = Number(process.env.N ?? 60);
  const load0 = os.loadavg();
  for (let i = 0; i < N + 10; i++) {
    for (const arm of i % 2 ? ['eager', 'plain'] : ['plain', 'eager']) {
      const t0 = performance.now();
      const h = await client.workflow.start('hops', {
        taskQueue: 'eager',
        workflowId: `${arm}-${i}-${Date.now()}`,
        args: [6, 'local'],
        requestEagerStart: arm === 'eager',
      });
      const ack = performance.now() - t0;
      await h.result();
      const close = performance.now() - t0;
      if (i >= 10) {
        res[arm]!.ack.push(ack);
        res[arm]!.close.push(close);
      }
      if (i === 10 && arm === 'eager') {
        const ev = (await h.fetchHistory()).events!;
        // WorkflowTaskScheduled and Started in the same millisecond: the task went out with the start's response.
        console.log(
          'eager history first events',
          ev
            .slice(0, 4)
            .map((e) => `${e.eventType}@${Number(e.eventTime!.seconds) * 1000 + e.eventTime!.nanos! / 1e6}`)
            .join(' '),
        );
      }
    }
  }
  for (const [arm, r] of Object.entries(res))
    console.log(
      arm,
      'start ack p50/p90',
      pct(r.ack, 50),
      pct(r.ack, 90),
      'start->result p50/p90',
      pct(r.close, 50),
      pct(r.close, 90),
    );
  console.log(
    'load',
    load0.map((l) => l.toFixed(1)).join(' '),
    '->',
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
  );
  worker.shutdown();
  await running;
  await native.close();
  await server.stop();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
