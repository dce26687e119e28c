// Does a Client over the workers' NativeConnection (what eager workflow start needs) keep the API's fast 503?
// The API bounds every Temporal call with `withTemporalDeadline` (TEMPORAL_CALL_DEADLINE_MS, 5 s): over the
// grpc-js Connection the SDK's retries stop at that deadline. This starts a dev server, connects both kinds of
// connection, stops the server, and times a workflow start under a 1 s and a 5 s deadline on each (the outage
// the API must answer quickly). Writes bench/results/native-client-outage-<time>.{json,md}.
// Usage: npx tsx bench/native-client-outage.ts
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { writeBenchResults } from './lib/report';
import { startBareDevServer } from './lib/stack';

const DEADLINES_MS = [1_000, 5_000];

async function timedStart(client: Client, deadlineMs: number, id: string) {
  const t0 = performance.now();
  try {
    await client.connection.withDeadline(Date.now() + deadlineMs, () =>
      client.workflow.start('benchAbsent', { taskQueue: 'bench-absent', workflowId: id }),
    );
    return { deadlineMs, ms: Math.round(performance.now() - t0), outcome: 'started' };
  } catch (err) {
    const cause = (err as { cause?: { code?: number } }).cause;
    return { deadlineMs, ms: Math.round(performance.now() - t0), outcome: `failed (gRPC code ${cause?.code})` };
  }
}

async function main() {
  const server = await startBareDevServer();
  const grpcJs = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  const clients = {
    grpcJs: new Client({ connection: grpcJs, namespace: 'default' }),
    native: new Client({ connection: native, namespace: 'default' }),
  };
  await grpcJs.workflowService.getSystemInfo({});
  await native.workflowService.getSystemInfo({});
  await server.stop();
  const rows: { connection: string; deadlineMs: number; ms: number; outcome: string }[] = [];
  for (const deadlineMs of DEADLINES_MS)
    for (const [name, client] of Object.entries(clients))
      rows.push({ connection: name, ...(await timedStart(client, deadlineMs, `${name}-${deadlineMs}`)) });
  await grpcJs.close();
  await native.close();

  const at = new Date().toISOString();
  const md = [
    `Workflow start with the Temporal server stopped (connection refused), ${at}`,
    '',
    '| connection | deadline (ms) | answered after (ms) | outcome |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.connection} | ${r.deadlineMs} | ${r.ms} | ${r.outcome} |`),
    '',
  ].join('\n');
  writeBenchResults(`native-client-outage-${at.replace(/[:.]/g, '-')}`, { at, rows }, md, console.log);
}

void main();
