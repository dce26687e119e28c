import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runtimeOptions, TEMPORAL_METRIC_PREFIX } from '../../src/temporal/runtime';

const logger = pino({ level: 'silent' });

describe('runtimeOptions', () => {
  it('keeps log forwarding and our signal handling, with no metrics endpoint by default (harness, API role)', () => {
    for (const opts of [undefined, {}, { metricsPort: 0 }]) {
      const o = runtimeOptions(logger, opts);
      expect(o.shutdownSignals).toEqual([]);
      expect(o.logger).toBeDefined();
      expect(o.telemetryOptions?.logging).toEqual({ filter: { core: 'WARN', other: 'ERROR' }, forward: {} });
      expect(o.telemetryOptions?.metrics).toBeUndefined();
    }
  });

  it('serves the SDK metrics in Prometheus format on every interface at the given port', () => {
    const o = runtimeOptions(logger, { metricsPort: 9464 });
    expect(o.telemetryOptions?.metrics).toEqual({
      metricPrefix: 'temporal_',
      prometheus: { bindAddress: '0.0.0.0:9464' },
    });
    expect(TEMPORAL_METRIC_PREFIX).toBe('temporal_');
    expect(o.telemetryOptions?.logging).toEqual({ filter: { core: 'WARN', other: 'ERROR' }, forward: {} });
    expect(o.shutdownSignals).toEqual([]);
  });

  it('binds another interface when asked', () => {
    expect(
      runtimeOptions(logger, { metricsPort: 19464, metricsHost: '127.0.0.1' }).telemetryOptions?.metrics,
    ).toMatchObject({ prometheus: { bindAddress: '127.0.0.1:19464' } });
  });

  it('rejects a port that is not one', () => {
    for (const metricsPort of [-1, 65536, 1.5, Number.NaN])
      expect(() => runtimeOptions(logger, { metricsPort })).toThrow(RangeError);
  });

  it('forwards SDK log records into pino with their level', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = pino(
      { level: 'trace' },
      { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
    );
    runtimeOptions(sink).logger!.warn('slot exhausted', { taskQueue: 'default' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'slot exhausted',
      taskQueue: 'default',
      component: 'temporal-sdk',
    });
  });
});
