import { createActivities } from './activities';
import { crisisScreenerVersion } from './adapters/crisis-screener';
import { workerScreener } from './activities/worker-screener';
import { startOutboxRelay } from './adapters/events/outbox-relay';
import { createEventPublisher, WELLFLOW_STREAM } from './adapters/events/publisher';
import { createImageStore, type ImageStore } from './adapters/images/store';
import { warnIfCrisisAlertsOnlyLogged } from './adapters/notify/channels';
import { createApp } from './api/app';
import { type HttpServer, listen } from './api/listen';
import { createOpsApp } from './api/ops-app';
import { createRateLimiter } from './api/middleware/rate-limit';
import { HealthChecker } from './observability/health-checks';
import type { Config } from './config';
import { ConfigError } from './config';
import { createDatabase, type Database } from './db/client';
import { startEmbeddedPostgres } from './db/embedded';
import { runMigrations } from './db/migrate';
import type { Logger } from './logger';
import { loadSecrets, type Secrets } from './secrets';
import { resolveTemporalCli } from './temporal/cli-resolver';
import { AesGcmCodec } from './temporal/codec';
import { wellflowDataConverter } from './temporal/data-converter';
import { connectTemporal, createClient, ensureSearchAttributes, setDevRetention } from './temporal/connection';
import { startDevServer } from './temporal/dev-server';
import { loadDeclaredSchedules } from './temporal/schedules/declared';
import { syncSchedules } from './temporal/schedules/sync';
import { installTemporalRuntime } from './temporal/runtime';
import { createMetrics } from './observability/metrics';
import { createTracing } from './observability/tracing';
import { logErr } from './observability/redact';
import { WORKFLOW_QUEUES } from './contracts';
import { workflowBundlePath } from './worker/bundle';
import { startWorkers, type WorkerSet } from './worker/workers';
import { startTaskSubscriptionConsumer } from './worker/tasks-subscriptions';
import { startUserDeletedConsumer } from './worker/account-erasure-events';

export interface StackRoles {
  /** Start the Temporal dev server and embedded PostgreSQL when they are not configured (`wellflow dev`). */
  servers: boolean;
  api: boolean;
  worker: boolean;
}

export interface RunningStack {
  apiUrl?: string;
  uiUrl?: string;
  /** The internal ops port (/metrics, /health/detailed), unless OPS_PORT=0. */
  opsUrl?: string;
  stop(): Promise<void>;
}

type Stops = (() => Promise<void>)[];

/**
 * Assembles the service from its parts, in dependency order, and stops them in reverse: API first (no new
 * work), then workers (in-flight activities finish within their grace time), then connections, then the
 * local servers. The same code path serves `dev`, `api` and `worker`; only the roles differ.
 */
export async function startStack(config: Config, logger: Logger, roles: StackRoles): Promise<RunningStack> {
  const stops: Stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.warn({ err: logErr(err) }, 'error during shutdown');
      }
    }
  };
  try {
    warnIfCrisisAlertsOnlyLogged(config, logger); // once per process; /health/detailed says it too (crisis_alerts)
    const secrets = loadSecrets(config);
    const local = await startLocalServers(config, logger, roles, stops);
    const core = await connectCore(config, logger, roles, secrets, local.databaseUrl, stops);
    // One image store for the API (uploads) and the workers (preprocess, recognize): the data folder here,
    // a shared volume in docker-compose.
    const images = createImageStore(config.dataDir);
    const health = new HealthChecker({ config, database: core.database, temporal: core.temporal });
    const full = { ...core, images, secrets, health };
    const workers = roles.worker ? await startWorkerRole(config, logger, full, stops) : undefined;
    const apiUrl = roles.api ? await startApiRole(config, logger, full, stops) : undefined;
    if (apiUrl) logger.info({ apiUrl, docs: `${apiUrl}/docs`, ui: local.uiUrl }, 'API listening');
    const opsUrl = await startOpsPort(
      config,
      logger,
      { health, metrics: roles.api ? core.metrics : undefined, workers },
      stops,
    );
    return { apiUrl, uiUrl: local.uiUrl, opsUrl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** `wellflow dev` only: the Temporal dev server and the embedded PostgreSQL, unless configured elsewhere. */
async function startLocalServers(config: Config, logger: Logger, roles: StackRoles, stops: Stops) {
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
  return { uiUrl, databaseUrl };
}

/** Temporal connection and client (codec, metrics, tracing), the database pool; `dev` also syncs schedules. */
async function connectCore(
  config: Config,
  logger: Logger,
  roles: StackRoles,
  secrets: Secrets,
  databaseUrl: string,
  stops: Stops,
) {
  // The worker's Temporal SDK metrics (task latencies, slots, polls) on their own Prometheus port.
  installTemporalRuntime(logger, { metricsPort: roles.worker ? config.WORKER_METRICS_PORT : 0 });
  const connection = await connectTemporal(config.temporalAddress, logger);
  stops.push(() => connection.close());
  if (roles.servers) {
    await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE, logger);
    if (config.startTemporal) await setDevRetention(connection, config.TEMPORAL_NAMESPACE);
  }
  const codec = new AesGcmCodec(secrets.encryptionKeys);
  const dataConverter = wellflowDataConverter(codec);
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
    const { created, updated, deleted } = report;
    logger.info({ created, updated, deleted, unchanged: report.unchanged.length }, 'schedules synced');
  }
  return { codec, dataConverter, database, metrics, tracing, temporal };
}

type Core = Awaited<ReturnType<typeof connectCore>> & { images: ImageStore; secrets: Secrets; health: HealthChecker };

async function startWorkerRole(config: Config, logger: Logger, core: Core, stops: Stops): Promise<WorkerSet> {
  const { database, images, temporal, secrets, dataConverter, tracing } = core;
  // A worker process for activity-only queues (heavy) neither builds nor loads the workflow bundle.
  const bundlePath = config.queues.some((q) => WORKFLOW_QUEUES.has(q))
    ? await workflowBundlePath({
        prebuilt: config.WELLFLOW_WORKFLOW_BUNDLE,
        dataDir: config.dataDir,
        logger,
        tracing: tracing.enabled,
      })
    : undefined;
  // Loaded before the workers poll, so no entry is screened before the configured screener is ready.
  const screener = await workerScreener({ queues: config.queues, encoderDir: config.CRISIS_ENCODER_DIR, logger });
  stops.push(() => screener.close());
  const workers = await startWorkers({
    address: config.temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
    queues: config.queues,
    bundlePath,
    activities: createActivities({
      config,
      database,
      logger,
      images,
      temporal,
      secrets,
      screener,
    }),
    dataConverter,
    logger,
    tracing,
  });
  workers.done.catch((err) => logger.error({ err: logErr(err) }, 'a worker stopped with an error'));
  stops.push(() => workers.shutdown());
  // Delivers the events activities queue in the outbox; stops after the workers (stops run in reverse).
  const relay = startOutboxRelay({
    database,
    sink: createEventPublisher(config.NATS_URL, logger, { stream: WELLFLOW_STREAM }),
    logger,
  });
  stops.splice(stops.length - 1, 0, () => relay.stop());
  // subscription.changed → task caps (a durable JetStream consumer; see src/worker/tasks-subscriptions.ts).
  if (config.NATS_URL) {
    const consumer = startTaskSubscriptionConsumer({ natsUrl: config.NATS_URL, database, temporal, logger });
    stops.push(() => consumer.stop());
    // user.deleted → the person's erasure (src/worker/account-erasure-events.ts).
    const erasures = startUserDeletedConsumer({
      natsUrl: config.NATS_URL,
      subject: config.NATS_USER_DELETED_SUBJECT,
      database,
      temporal,
      logger,
    });
    stops.push(() => erasures.stop());
  }
  return workers;
}

/** The HTTP API on PORT/HOST; resolves with its URL once it listens. */
async function startApiRole(config: Config, logger: Logger, core: Core, stops: Stops): Promise<string> {
  const { database, temporal, secrets, codec, images, metrics, tracing, health } = core;
  const rateLimiter = createRateLimiter(config, logger);
  stops.push(() => rateLimiter.close());
  // Read at start (the head file only, no graph): a missing or malformed head file stops the API here too.
  const screenerVersion = crisisScreenerVersion(config.CRISIS_ENCODER_DIR);
  const deps = {
    ...{ config, logger, database, temporal, secrets, codec, images, health, metrics, rateLimiter, tracing },
    screenerVersion,
  };
  const { server, url } = await listen(createApp(deps), config.PORT, config.HOST);
  stops.push(() => drain(server));
  return url;
}

/**
 * The internal ops port (OPS_PORT, 0: off) of an API or worker process: probes and metrics off the public port
 * (src/api/ops-app.ts). Stopped first (pushed last): an orchestrator sees the process go before it drains.
 */
async function startOpsPort(
  config: Config,
  logger: Logger,
  deps: { health: HealthChecker; metrics?: Core['metrics']; workers?: WorkerSet },
  stops: Stops,
): Promise<string | undefined> {
  if (config.OPS_PORT === 0) return undefined;
  const { workers } = deps;
  const app = createOpsApp({ ...deps, logger, problem: workers && (() => workers.problem()) });
  const { server, url } = await listen(app, config.OPS_PORT, config.OPS_HOST);
  stops.push(() => drain(server));
  logger.info({ opsUrl: url }, 'ops port listening');
  return url;
}

/**
 * How long open requests (event streams included) may run on after a stop begins: 10 s, a third of the usual
 * 30 s termination grace of container platforms, so workers and connections still have time to stop after it.
 */
const API_DRAIN_MS = 10_000;

/**
 * Stops accepting connections, closes idle keep-alive sockets at once, lets in-flight requests finish, and
 * cuts what is still open (a live event stream never ends by itself) when the drain time is up.
 */
async function drain(server: HttpServer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  const cut = setTimeout(() => {
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, API_DRAIN_MS);
  await closed;
  clearTimeout(cut);
}
