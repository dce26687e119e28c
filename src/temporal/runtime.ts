import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from '../logger';
import { redactError, redactText } from '../observability/redact';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Metadata keys under which the SDK passes an error or a failure (`Activity failed`, `Workflow failed`…). */
const ERROR_META_KEYS = new Set(['error', 'err', 'failure', 'cause']);

/**
 * The SDK's metadata without values: errors and failures redacted (the SDK logs `{ error }` for every failed
 * activity and workflow, and a drizzle error carries the query's parameters), strings with drizzle's
 * `params:` part cut. Pure; the logger's serializers would catch most of it too, but not every key.
 */
export function redactTemporalMeta(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (ERROR_META_KEYS.has(k) || v instanceof Error) out[k] = redactError(v);
    else if (typeof v === 'string') out[k] = redactText(v);
    else out[k] = v;
  }
  return out;
}

/** Sends the SDK's logs (workflow `log`, activity `log`, core) into the same pino stream as ours. */
class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly pino: Logger) {}
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    // Messages too: the worker writes `Error while processing ActivityTask.start: <error message>`.
    this.pino[LEVELS[level]](redactTemporalMeta(meta), redactText(message));
  }
  trace(message: string, meta?: LogMetadata) {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log('ERROR', message, meta);
  }
}

export interface TemporalRuntimeOptions {
  /**
   * Port of the Temporal SDK's own Prometheus endpoint (`http://<host>:<port>/metrics`, served by the SDK's
   * native core, not by our HTTP server): worker polls, task slots, schedule-to-start latencies, sticky cache.
   * 0 or unset: no endpoint (tests, the API-only role: its client makes no core metrics).
   */
  metricsPort?: number;
  /** Interface of that endpoint; all interfaces by default, so Prometheus can reach a containerised worker. */
  metricsHost?: string;
}

/**
 * Temporal's default prefix, spelled out so dashboards and alerts can rely on it: `temporal_` series (the
 * SDK's) never collide with our `wellflow_` ones (prom-client, on the API's `/metrics`).
 */
export const TEMPORAL_METRIC_PREFIX = 'temporal_';

/** The options `installTemporalRuntime` installs; pure, so tests check them without a native runtime. */
export function runtimeOptions(logger: Logger, opts: TemporalRuntimeOptions = {}): RuntimeOptions {
  const port = opts.metricsPort ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`metricsPort must be an integer between 0 and 65535 (got ${port})`);
  return {
    logger: new PinoTemporalLogger(logger.child({ component: 'temporal-sdk' })),
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      // SDK defaults otherwise (durations in milliseconds, counters without a `_total` suffix, no unit
      // suffix): changing them renames every series, so only together with the dashboards that read them.
      ...(port > 0
        ? {
            metrics: {
              metricPrefix: TEMPORAL_METRIC_PREFIX,
              prometheus: { bindAddress: `${opts.metricsHost ?? '0.0.0.0'}:${port}` },
            },
          }
        : {}),
    },
  };
}

let installed: TemporalRuntimeOptions | undefined;

/**
 * Installs the Temporal runtime once per process, before any worker connection. Signal handling stays
 * ours (`shutdownSignals: []`): `wellflow dev` must stop the API, then the workers, then the servers, in
 * that order. With `metricsPort`, the SDK serves its metrics on that port (the worker role passes
 * WORKER_METRICS_PORT). The runtime cannot be replaced once installed: a later call is a no-op (with a
 * warning when it asked for a different metrics endpoint).
 */
export function installTemporalRuntime(logger: Logger, opts: TemporalRuntimeOptions = {}): void {
  if (installed) {
    if ((installed.metricsPort ?? 0) !== (opts.metricsPort ?? 0)) {
      logger.warn(
        { installed: installed.metricsPort ?? 0, requested: opts.metricsPort ?? 0 },
        'Temporal runtime already installed; its metrics port cannot change',
      );
    }
    return;
  }
  const options = runtimeOptions(logger, opts);
  Runtime.install(options);
  installed = { ...opts };
  if (opts.metricsPort) logger.info({ port: opts.metricsPort }, 'Temporal SDK metrics on /metrics');
}
