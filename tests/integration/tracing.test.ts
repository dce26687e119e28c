import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedSpan, startFakeOtlpReceiver } from '../support/fake-otlp-receiver';
import { type Harness, eventually, startHarness } from '../support/harness';

/** With an OTLP endpoint configured, one request is one trace: API → client → workflow → activity. */
let h: Harness;
let receiver: Awaited<ReturnType<typeof startFakeOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startFakeOtlpReceiver();
  h = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
});
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
});

describe('OpenTelemetry tracing', () => {
  it('exports one trace from the HTTP request through the workflow to its activity', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: '2026-11-16' } });
    expect(res.status).toBe(202);
    const root = await eventually(
      async () => receiver.spans.find((s) => s.name === 'POST /v1/insights/weekly'),
      20_000,
    );
    const trace = await eventually(async () => {
      const spans = receiver.spans.filter((s) => s.traceId === root.traceId);
      return spans.some((s) => s.name.startsWith('RunActivity')) ? spans : undefined;
    }, 20_000);
    const names = trace.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/insights/weekly',
        'StartWorkflow:weeklyInsight',
        'RunWorkflow:weeklyInsight',
        'RunActivity:computeWeeklyInsightFor',
      ]),
    );
    // Every span but the request's own has its parent inside the same trace.
    const ids = new Set(trace.map((s: ReceivedSpan) => s.spanId));
    for (const s of trace) if (s !== root) expect(ids.has(s.parentSpanId!), s.name).toBe(true);
    expect(root.parentSpanId).toBeFalsy();
    expect(trace.every((s) => s.service === 'wellflow')).toBe(true);
  }, 60_000);
});
