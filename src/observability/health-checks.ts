import fs from 'node:fs';
import { createImageStore } from '../adapters/images/store';
import { createKServeClient } from '../adapters/inference';
import { crisisAlertChannels, LOG_ONLY_DETAIL } from '../adapters/notify/channels';
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { isMigrated } from '../db/migrate';
import { createModelRoutingRepository, type ModelRef } from '../db/repositories/model-routing';
import { WORKFLOW_QUEUES } from '../contracts';
import { ALL_QUEUES } from '../contracts/queues';
import { CHECK_NAMES, type CheckName, type CheckResult, type HealthStatus } from '../domain/health';
import { searchAttributeState, wrongTypeMessage } from '../temporal/connection';

/** Each check is bounded: a hung dependency makes its check UNHEALTHY, never the health endpoint hang. */
const CHECK_TIMEOUT_MS = 3_000;
/** Below this much free disk the data folder (SQLite history, PostgreSQL, images) is at risk. */
const DISK_DEGRADED_BYTES = 1024 ** 3;
const DISK_UNHEALTHY_BYTES = 200 * 1024 ** 2;
/**
 * How long a positive search-attribute answer is reused. Load balancers and orchestrators probe /ready every few
 * seconds on every replica; the attributes, once there, go away only by an operator's explicit removal, so one
 * operator call a minute is enough. A negative answer is never cached: /ready turns 200 on the first probe after
 * `wellflow migrate` has registered them.
 */
const SEARCH_ATTRIBUTES_CACHE_MS = 60_000;

/** A failing critical check makes the whole service UNHEALTHY; others only DEGRADED. */
const CRITICAL: ReadonlySet<CheckName> = new Set(['database', 'temporal']);

/** `model food-classifier version 7`, or without a version when the server's default is in use. */
const describeModel = (m: ModelRef) => `model ${m.model}${m.version ? ` version ${m.version}` : ''}`;

async function timed(fn: () => Promise<Omit<CheckResult, 'latency_ms'>>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ...result, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'UNHEALTHY', detail: (err as Error).message, latency_ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export class HealthChecker {
  constructor(private readonly deps: { config: Config; database: Database; temporal: Client }) {}

  private readonly checks: Record<CheckName, () => Promise<Omit<CheckResult, 'latency_ms'>>> = {
    database: async () => {
      await this.deps.database.sql`select 1`;
      const migrated = await isMigrated(this.deps.database.sql);
      return migrated
        ? { status: 'HEALTHY', detail: 'connected, migrations applied' }
        : { status: 'UNHEALTHY', detail: 'connected, migrations pending' };
    },
    // Temporal answers AND the namespace has the search attributes every start and list needs. Missing ones are
    // UNHEALTHY, not DEGRADED: no meal, journal entry or run list works without them, exactly as if Temporal were
    // down, so /ready must fail and the health report must alert.
    temporal: async () => {
      const info = await this.deps.temporal.workflowService.getSystemInfo({});
      const namespace = this.deps.config.TEMPORAL_NAMESPACE;
      const server = `server ${info.serverVersion || 'unknown'}, namespace ${namespace}`;
      const problem = await this.searchAttributeProblem();
      return problem ? { status: 'UNHEALTHY', detail: problem } : { status: 'HEALTHY', detail: server };
    },
    workers: async () => {
      const counts = await this.pollerCounts();
      const missing = Object.entries(counts)
        .filter(([, n]) => n === 0)
        .map(([q]) => q);
      const detail = Object.entries(counts)
        .map(([q, n]) => `${q}: ${n} poller(s)`)
        .join(', ');
      if (missing.length === ALL_QUEUES.length)
        return { status: 'UNHEALTHY', detail: `no worker polls any queue (${detail})` };
      return { status: missing.length ? 'DEGRADED' : 'HEALTHY', detail };
    },
    disk: async () => {
      const stats = await fs.promises.statfs(this.deps.config.dataDir).catch(() => fs.promises.statfs(os.tmpdir()));
      const free = stats.bavail * stats.bsize;
      const detail = `${(free / 1024 ** 3).toFixed(1)} GiB free in the data folder's file system`;
      if (free < DISK_UNHEALTHY_BYTES) return { status: 'UNHEALTHY', detail };
      return { status: free < DISK_DEGRADED_BYTES ? 'DEGRADED' : 'HEALTHY', detail };
    },
    memory: async () => {
      const rss = process.memoryUsage().rss;
      const free = os.freemem();
      const detail = `process rss ${(rss / 1024 ** 2).toFixed(0)} MiB, system free ${(free / 1024 ** 2).toFixed(0)} MiB`;
      return { status: free < 256 * 1024 ** 2 ? 'DEGRADED' : 'HEALTHY', detail };
    },
    image_store: async () => {
      const { status, detail } = await createImageStore(this.deps.config.dataDir).check();
      return { status: status === 'HEALTHY' ? 'HEALTHY' : 'UNHEALTHY', detail };
    },
    model_server: async () => {
      const url = this.deps.config.INFERENCE_URL;
      if (!url)
        return {
          status: 'HEALTHY',
          detail: 'not configured: photos without a description wait for the person to describe them',
        };
      // The version in use (and any canary) from the routing row that retraining promotes (docs/model-retraining.md).
      const routing = await createModelRoutingRepository(this.deps.database.db, this.deps.config.INFERENCE_MODEL).get();
      const inUse = describeModel(routing.current);
      const canary = routing.candidate
        ? `; canary ${describeModel(routing.candidate)} on ${Math.round(routing.canaryShare * 100)} % of photos`
        : '';
      // The client keeps credentials out of the URL and out of every message.
      const client = createKServeClient({
        baseUrl: url,
        model: routing.current.model,
        ...(routing.current.version ? { version: routing.current.version } : {}),
        readyTimeoutMs: CHECK_TIMEOUT_MS,
      });
      const r = await client.ready();
      return r.ready
        ? { status: 'HEALTHY', detail: `${inUse} in use, ready${canary}` }
        : { status: 'DEGRADED', detail: `${inUse} in use: ${r.detail}${canary}` };
    },
    // From the settings alone (every process reads the same ones): whether a crisis alert reaches a person.
    crisis_alerts: async () => {
      const channels = crisisAlertChannels(this.deps.config);
      return channels.length
        ? { status: 'HEALTHY', detail: `log, ${channels.join(', ')}` }
        : { status: 'DEGRADED', detail: LOG_ONLY_DETAIL };
    },
  };

  private searchAttributesVerifiedAt = Number.NEGATIVE_INFINITY;

  /** Undefined when the namespace has the project's search attributes with the right types; else the reason. */
  private async searchAttributeProblem(): Promise<string | undefined> {
    if (Date.now() - this.searchAttributesVerifiedAt < SEARCH_ATTRIBUTES_CACHE_MS) return undefined;
    const namespace = this.deps.config.TEMPORAL_NAMESPACE;
    const state = await searchAttributeState(this.deps.temporal.connection, namespace);
    if (state.missing.length)
      return `Temporal namespace ${namespace} lacks the search attributes ${state.missing.join(', ')}: run \`wellflow migrate\``;
    if (state.wrongType.length) return wrongTypeMessage(namespace, state.wrongType);
    this.searchAttributesVerifiedAt = Date.now();
    return undefined;
  }

  /** Workers per queue: workflow pollers where workflows run, activity pollers on an activity-only queue. */
  async pollerCounts(): Promise<Record<string, number>> {
    const { TaskQueueType } = temporal.api.enums.v1;
    const entries = await Promise.all(
      ALL_QUEUES.map(async (q) => {
        const res = await this.deps.temporal.workflowService.describeTaskQueue({
          namespace: this.deps.config.TEMPORAL_NAMESPACE,
          taskQueue: { name: q, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: WORKFLOW_QUEUES.has(q)
            ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
            : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        });
        return [q, res.pollers?.length ?? 0] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  run(name: CheckName): Promise<CheckResult> {
    return timed(this.checks[name]);
  }

  async runAll(): Promise<{ status: HealthStatus; checks: Record<CheckName, CheckResult> }> {
    const results = await Promise.all(CHECK_NAMES.map(async (n) => [n, await this.run(n)] as const));
    const checks = Object.fromEntries(results) as Record<CheckName, CheckResult>;
    let status: HealthStatus = 'HEALTHY';
    for (const [name, r] of results) {
      if (r.status === 'HEALTHY') continue;
      if (CRITICAL.has(name) && r.status === 'UNHEALTHY') status = 'UNHEALTHY';
      else if (status === 'HEALTHY') status = 'DEGRADED';
    }
    return { status, checks };
  }

  /**
   * Ready = the database is migrated, Temporal answers and its namespace has the search attributes. When not
   * ready, `reason` is the first failing check's detail (what an operator must fix).
   */
  async ready(): Promise<{ ready: boolean; reason?: string; checks: Record<'database' | 'temporal', CheckResult> }> {
    const [database, temporalCheck] = await Promise.all([this.run('database'), this.run('temporal')]);
    const failing = [database, temporalCheck].find((c) => c.status !== 'HEALTHY');
    return {
      ready: !failing,
      ...(failing ? { reason: failing.detail } : {}),
      checks: { database, temporal: temporalCheck },
    };
  }
}
