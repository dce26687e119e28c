import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { redactText } from './redact';

/**
 * Span fields that carry an error's own text: the status message and the `exception` event's message and stack
 * trace, as `span.recordException(err)` and Temporal's OpenTelemetry interceptors record them (a DrizzleQueryError
 * with its `params:` list, a PostgreSQL message quoting a value). Everything else on a span is set by our code
 * or the SDK from ids, names and statuses.
 */
const EXCEPTION_TEXT_ATTRIBUTES = ['exception.message', 'exception.stacktrace'] as const;

function redactEvent(event: TimedEvent): TimedEvent {
  if (event.name !== 'exception' || !event.attributes) return event;
  const attributes = { ...event.attributes };
  for (const key of EXCEPTION_TEXT_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value === 'string') attributes[key] = redactText(value);
  }
  return { ...event, attributes };
}

/** The span as it may leave the process: its error text redacted (src/observability/redact.ts), the rest as is. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const hasError = span.status.message !== undefined || span.events.some((e) => e.name === 'exception');
  if (!hasError) return span;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanId: span.parentSpanId,
    startTime: span.startTime,
    endTime: span.endTime,
    status:
      span.status.message === undefined ? span.status : { ...span.status, message: redactText(span.status.message) },
    attributes: span.attributes,
    links: span.links,
    events: span.events.map(redactEvent),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationLibrary: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Redacts every span on its way to the collector, whoever recorded it: the HTTP middleware, Temporal's client and
 * activity interceptors (which record the raw error before our activity interceptors redact it), and the workflow
 * spans that leave the sandbox through the exporter sink. One place at the exit instead of one per recorder.
 */
export class RedactingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(redactSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
