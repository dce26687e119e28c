import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createActivities } from './activities';
import { createImageStore } from './adapters/images/store';
import { createApp } from './api/app';
import { createRateLimiter } from './api/middleware/rate-limit';
import { HealthChecker } from './observability/health-checks';
import type { Config } from './config';
import { ConfigError } from './config';
import { createDatabase, type Database } from './db/client';
import { startEmbeddedPostgres } from './db/embedded';
import { runMigrations } from './db/migrate';
import type { Logger } from './logger';
import { loadSecrets } from './secrets';
import { resolveTemporalCli } from './temporal/cli-resolver';
import { AesGcmCodec } from './temporal/codec';
import { connectTemporal, createClient, ensureSearchAttributes, setDevRetention } from './temporal/connection';
import { startDevServer } from './temporal/dev-server';
import { loadDeclaredSchedules } from './temporal/schedules/declared';
import { syncSchedules } from './temporal/schedules/sync';
import { installTemporalRuntime } from './temporal/runtime';
import { createMetrics } from './observability/metrics';
import { createTracing } from './observability/tracing';
import { workflowBundlePath } from './worker/bundle';
import { startWorkers } from './worker/workers';

export interface StackRoles {
  /** Start the Temporal dev server and embedded PostgreSQL when they are not configured (`wellflow dev`). */
  servers: boolean;
  api: boolean;
  worker: boolean;
}

export interface RunningStack {
  apiUrl?: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * Assembles the service from its parts, in dependency order, and stops them in reverse: API first (no new
 * work), then workers (in-flight activities finish within their grace time), then connections, then the
 * local servers. The same code path serves `dev`, `api` and `worker`; only the roles differ.
 */
export async function startStack(config: Config, logger: Logger, roles: StackRoles): Promise<RunningStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.warn({ err: String(err) }, 'error during shutdown');
      }
    }
  };
  try {
    const secrets = loadSecrets(config);
    let uiUrl: string | undefined;
    if (roles.servers && config.startTemporal) {
      const cliPath = resolveTemporalCli(config.TEMPORAL_CLI_PATH, { install: true, log: (m) => logger.info(m) });
      const server = await startDevServer({
        cliPath,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        dbFile: `${config.dataDir}/temporal.db`,
        codecEndpoint: `http://localhost:${config.PORT}/codec`,
        logger,
      });
      stops.push(() => server.stop());
      uiUrl = server.uiUrl;
    }
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      if (!roles.servers) {
        throw new ConfigError(
          'Invalid configuration: DATABASE_URL is required for `wellflow api` and `wellflow worker` (only `wellflow dev` starts an embedded PostgreSQL)',
        );
      }
      const pg = await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT, logger);
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    if (roles.servers) await runMigrations(databaseUrl);

    // The worker's Temporal SDK metrics (task latencies, slots, polls) on their own Prometheus port.
    installTemporalRuntime(logger, { metricsPort: roles.worker ? config.WORKER_METRICS_PORT : 0 });
    const connection = await connectTemporal(config.temporalAddress, logger);
    stops.push(() => connection.close());
    if (roles.servers) {
      await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE, logger);
      if (config.startTemporal) await setDevRetention(connection, config.TEMPORAL_NAMESPACE);
    }
    const codec = new AesGcmCodec(secrets.encryptionKeys);
    const dataConverter = { payloadCodecs: [codec] };
    const database: Database = createDatabase(databaseUrl);
    stops.push(() => database.close());
    const metrics = createMetrics({ database, logger });
    stops.push(() => metrics.close());
    const tracing = createTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT);
    stops.push(() => tracing.shutdown()); // flushes the last spans after everything else has stopped
    const temporal = createClient(connection, config.TEMPORAL_NAMESPACE, dataConverter, [
      metrics.workflowStartInterceptor,
      ...tracing.clientInterceptors,
    ]);
    if (roles.servers) {
      // `wellflow dev` keeps Temporal's schedules equal to the declared ones, as `wellflow schedules sync` does.
      const report = await syncSchedules(temporal, loadDeclaredSchedules(config.SCHEDULES_FILE));
      logger.info(
        {
          created: report.created,
          updated: report.updated,
          deleted: report.deleted,
          unchanged: report.unchanged.length,
        },
        'schedules synced',
      );
    }
    // One image store for the API (uploads) and the workers (preprocess, recognize): the data folder here,
    // a shared volume in docker-compose.
    const images = createImageStore(config.dataDir);

    if (roles.worker) {
      const bundlePath = await workflowBundlePath({
        prebuilt: config.WELLFLOW_WORKFLOW_BUNDLE,
        dataDir: config.dataDir,
        logger,
      });
      const workers = await startWorkers({
        address: config.temporalAddress,
        namespace: config.TEMPORAL_NAMESPACE,
        queues: config.queues,
        bundlePath,
        activities: createActivities({ config, database, logger, images, temporal, secrets }),
        dataConverter,
        logger,
        tracing,
      });
      workers.done.catch((err) => logger.error({ err: String(err) }, 'a worker stopped with an error'));
      stops.push(() => workers.shutdown());
    }

    let apiUrl: string | undefined;
    if (roles.api) {
      const rateLimiter = createRateLimiter(config, logger);
      stops.push(() => rateLimiter.close());
      const app = createApp({
        config,
        logger,
        database,
        temporal,
        secrets,
        codec,
        images,
        health: new HealthChecker({ config, database, temporal }),
        metrics,
        rateLimiter,
        tracing,
      });
      const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
        s.once('error', reject);
      });
      const port = (server.address() as AddressInfo).port;
      apiUrl = `http://${config.HOST}:${port}`;
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      logger.info({ apiUrl, docs: `${apiUrl}/docs`, ui: uiUrl }, 'API listening');
    }
    return { apiUrl, uiUrl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
