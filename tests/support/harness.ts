import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { createActivities } from '../../src/activities';
import { crisisScreenerVersion } from '../../src/adapters/crisis-screener';
import { workerScreener } from '../../src/activities/worker-screener';
import { type OutboxRelay, startOutboxRelay } from '../../src/adapters/events/outbox-relay';
import { createEventPublisher, WELLFLOW_STREAM } from '../../src/adapters/events/publisher';
import { createImageStore } from '../../src/adapters/images/store';
import { createApp } from '../../src/api/app';
import { createOpsApp } from '../../src/api/ops-app';
import { type Role, signToken } from '../../src/api/auth';
import { HealthChecker } from '../../src/observability/health-checks';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createTracing } from '../../src/observability/tracing';
import { createDatabase } from '../../src/db/client';
import { loadSecrets } from '../../src/secrets';
import { AesGcmCodec } from '../../src/temporal/codec';
import { wellflowDataConverter } from '../../src/temporal/data-converter';
import { connectTemporal, createClient } from '../../src/temporal/connection';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startWorkers, type WorkerSet } from '../../src/worker/workers';

/**
 * The real service parts wired as `wellflow dev` wires them, against the run's Temporal dev server and
 * PostgreSQL database: the app answers `app.request()` without a socket; workers run in this process.
 */
export async function startHarness(opts: { workers?: boolean; env?: Record<string, string> } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-harness-'));
  const config = loadConfig({
    WELLFLOW_DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    WELLFLOW_ENCRYPTION_KEY: inject('encryptionKey'),
    LOG_LEVEL: 'info',
    // app.request() has no socket: every call shares one client IP. Rate limits have their own tests.
    RATE_LIMIT_IP_PER_MIN: '100000',
    RATE_LIMIT_USER_PER_MIN: '100000',
    ...opts.env,
  });
  // Logs are captured (as parsed JSON lines) so tests can assert what was, and was not, logged.
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger('info', sink);
  installTemporalRuntime(logger);
  const secrets = loadSecrets(config);
  const codec = new AesGcmCodec(secrets.encryptionKeys);
  const dataConverter = wellflowDataConverter(codec);
  const connection = await connectTemporal(config.temporalAddress, logger);
  const database = createDatabase(config.DATABASE_URL!);
  const metrics = createMetrics({ database, logger });
  // Tracing is process-global (one provider): only the file that configures an OTLP endpoint turns it on.
  const tracing = createTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const temporal = createClient(connection, config.TEMPORAL_NAMESPACE, dataConverter, [
    metrics.workflowStartInterceptor,
    ...tracing.clientInterceptors,
  ]);
  const images = createImageStore(config.dataDir);
  const health = new HealthChecker({ config, database, temporal });
  // The screener as the stack builds it: CRISIS_ENCODER_DIR's fine-tuned encoder, or the n-gram model.
  const screenerVersion = crisisScreenerVersion(config.CRISIS_ENCODER_DIR);
  const screener = await workerScreener({ queues: config.queues, encoderDir: config.CRISIS_ENCODER_DIR, logger });
  const app = createApp({
    ...{ config, logger, database, temporal, secrets, codec, images, health, metrics, tracing },
    screenerVersion,
  });
  // The internal ops port's app (/health/detailed, /metrics), as an API process serves it on OPS_PORT.
  const opsApp = createOpsApp({ health, logger, metrics });

  let workers: WorkerSet | undefined;
  let relay: OutboxRelay | undefined;
  const startWorkerSet = async () => {
    if (workers) return;
    workers = await startWorkers({
      address: config.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      queues: config.queues,
      bundlePath: inject('bundlePath'),
      activities: createActivities({ config, database, logger, images, temporal, secrets, screener }),
      dataConverter,
      logger,
      tracing,
    });
    // Events queued by the activities reach NATS (JetStream) through the outbox relay, as in a worker process.
    // Only with NATS_URL: test files share the database, and a relay that only logs would take other files'
    // events from the outbox before their NATS relay could.
    if (config.NATS_URL)
      relay ??= startOutboxRelay({
        database,
        sink: createEventPublisher(config.NATS_URL, logger, { stream: WELLFLOW_STREAM }),
        logger,
      });
  };
  if (opts.workers !== false) await startWorkerSet();

  const token = (sub: string, role: Role = 'user') => signToken(secrets.jwtSecret, { sub, role }, 3600);
  const callOn =
    (target: typeof app) =>
    async (
      method: string,
      url: string,
      init: {
        token?: string;
        body?: unknown;
        form?: FormData;
        /** Sent byte for byte with no Content-Type added (set one in `headers`): for protocol-error tests. */
        rawBody?: string | Uint8Array;
        headers?: Record<string, string>;
      } = {},
    ) => {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.Authorization = `Bearer ${init.token}`;
      let body: string | Uint8Array | FormData | undefined;
      if (init.rawBody !== undefined) {
        body = init.rawBody;
      } else if (init.form) {
        body = init.form; // fetch sets the multipart Content-Type with its boundary
      } else if (init.body !== undefined) {
        headers['Content-Type'] ??= 'application/json';
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      }
      const res = await target.request(url, { method, headers, body });
      const text = await res.text();
      // Tests assert on response fields directly (res.json.items[0].status): one loose type, not one per route.
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    };
  const call = callOn(app);
  /** A request to the ops port's app (src/api/ops-app.ts) instead of the public one. */
  const callOps = callOn(opsApp);

  return {
    app,
    config,
    database,
    temporal,
    codec,
    images,
    logLines,
    token,
    call,
    callOps,
    newUser: () => `u-${randomUUID().slice(0, 8)}`,
    startWorkers: startWorkerSet,
    stopWorkers: async () => {
      await workers?.shutdown();
      workers = undefined;
    },
    async stop() {
      // Runs left open (a meal waiting for input, a cancelled-but-draining batch) would otherwise be picked
      // up by the next test file's workers: end them here so every file starts from a quiet server.
      for await (const wf of temporal.workflow.list({ query: 'ExecutionStatus="Running"' })) {
        await temporal.workflow
          .getHandle(wf.workflowId, wf.runId)
          .terminate('test harness stopped')
          .catch(() => {});
      }
      await workers?.shutdown();
      await relay?.stop();
      await screener.close();
      await metrics.close();
      await tracing.shutdown();
      await database.close();
      await connection.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Polls `fn` until it returns a truthy value or `ms` pass. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  ms = 20_000,
  every = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`condition not met within ${ms} ms${last ? `: ${String(last)}` : ''}`);
}
