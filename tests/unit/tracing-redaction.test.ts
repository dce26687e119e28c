import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { RedactingSpanExporter, redactSpan } from '../../src/observability/tracing-redaction';

const RAW = 'Failed query: insert into "app"."meals" ("description") values ($1)\nparams: oatmeal with my secret';

function span(overrides: Partial<ReadableSpan> = {}): ReadableSpan {
  return {
    name: 'RunActivity:recordMealAnalysis',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }),
    parentSpanId: 'c'.repeat(16),
    startTime: [1, 0],
    endTime: [2, 0],
    status: { code: SpanStatusCode.ERROR, message: RAW },
    attributes: { temporalWorkflowId: 'meal-1' },
    links: [],
    events: [
      {
        name: 'exception',
        time: [1, 5],
        attributes: {
          'exception.type': 'Error',
          'exception.message': RAW,
          'exception.stacktrace': `Error: ${RAW}\n    at x (y.ts:1:1)`,
        },
      },
    ],
    duration: [1, 0],
    ended: true,
    resource: { attributes: {} } as ReadableSpan['resource'],
    instrumentationLibrary: { name: 'test' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

describe('span redaction', () => {
  it('drops query parameters from the status message and the exception event, keeps the SQL and the frames', () => {
    const out = redactSpan(span());
    expect(JSON.stringify(out)).not.toContain('secret');
    expect(out.status.message).toBe('Failed query: insert into "app"."meals" ("description") values ($1)');
    expect(out.events[0]!.attributes!['exception.stacktrace']).toContain('at x (y.ts:1:1)');
    expect(out.spanContext().spanId).toBe('b'.repeat(16));
    expect(out.attributes).toEqual({ temporalWorkflowId: 'meal-1' });
  });

  it('passes a span without an error through as it is', () => {
    const ok = span({ status: { code: SpanStatusCode.OK }, events: [] });
    expect(redactSpan(ok)).toBe(ok);
  });

  it('the exporter hands the redacted spans to the real one', () => {
    const seen: ReadableSpan[] = [];
    const inner: SpanExporter = {
      export: (spans, done) => {
        seen.push(...spans);
        done({ code: 0 });
      },
      shutdown: async () => {},
    };
    new RedactingSpanExporter(inner).export([span()], () => {});
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen[0]!.events)).not.toContain('secret');
  });
});
