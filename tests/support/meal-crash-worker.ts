// A worker process for tests/integration/meal-local-steps.test.ts's crash test: the real workflow bundle and
// activities on TASK_QUEUE, except that recordMealAnalysis prints `record started` and never returns, so the
// test can SIGKILL this process in the middle of a meal's workflow task.
// Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DATABASE_URL, WELLFLOW_ENCRYPTION_KEY, BUNDLE_PATH, TASK_QUEUE.
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { SCREENER_NOT_LOADED } from '../../src/activities/worker-screener';
import { createImageStore } from '../../src/adapters/images/store';
import { loadConfig } from '../../src/config';
import { createDatabase } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { NO_TRACING } from '../../src/observability/tracing';
import { loadSecrets } from '../../src/secrets';
import { AesGcmCodec } from '../../src/temporal/codec';
import { connectTemporal, createClient } from '../../src/temporal/connection';
import { wellflowDataConverter } from '../../src/temporal/data-converter';
import { attemptReportInterceptor } from '../../src/temporal/interceptors/attempts';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('silent');
  const secrets = loadSecrets(config);
  const dataConverter = wellflowDataConverter(new AesGcmCodec(secrets.encryptionKeys));
  const database = createDatabase(config.DATABASE_URL!);
  const client = createClient(
    await connectTemporal(config.temporalAddress, logger),
    config.TEMPORAL_NAMESPACE,
    dataConverter,
    [],
  );
  const activities = createActivities({
    config,
    database,
    logger,
    images: createImageStore(config.dataDir),
    temporal: client,
    secrets,
    screener: SCREENER_NOT_LOADED, // meal queues only: no screening step runs here
  });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: config.temporalAddress }),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: process.env.TASK_QUEUE!,
    workflowBundle: { codePath: process.env.BUNDLE_PATH! },
    activities: {
      ...activities,
      async loadMeal(input: Parameters<typeof activities.loadMeal>[0]) {
        process.stdout.write('load\n');
        return activities.loadMeal(input);
      },
      async recordMealAnalysis(): Promise<void> {
        process.stdout.write('record started\n');
        await new Promise(() => {}); // until the test kills this process
      },
    },
    dataConverter,
    interceptors: { activity: [attemptReportInterceptor] },
    sinks: NO_TRACING.sinks,
  });
  process.stdout.write('polling\n');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
