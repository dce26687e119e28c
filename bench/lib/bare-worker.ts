// The bare arms' worker, in its own process (bench/meal-pipeline.ts starts it): SDK defaults, no
// interceptors, no codec, its own task queue. Env: TEMPORAL_ADDRESS, DATABASE_URL, BENCH_QUEUE.
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { BARE_SCHEMA, bareActivities } from './bare-activities';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
  await sql.unsafe(BARE_SCHEMA);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BENCH_QUEUE ?? 'bench-bare',
    workflowsPath: path.join(__dirname, 'bare-workflows.ts'),
    activities: bareActivities(sql),
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
  await sql.end();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
