import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { RedactingSpanExporter } from './tracing-redaction';

/**
 * Optional OpenTelemetry tracing, API → Temporal client → workflow → activities, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set: one trace per request. Temporal's own interceptors carry the span
 * context through workflow and activity headers; workflow spans leave the sandbox through the `exporter`
 * sink. The workflow half is always in the bundle (it is built once), so the sink is always registered:
 * a no-op when tracing is off.
 */
export interface Tracing {
  readonly enabled: boolean;
  clientInterceptors: WorkflowClientInterceptor[];
  activityInterceptors: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<OpenTelemetrySinks>;
  httpMiddleware: MiddlewareHandler | undefined;
  shutdown(): Promise<void>;
}

const NO_OP_SINKS: InjectedSinks<OpenTelemetrySinks> = {
  exporter: { export: { fn: () => {}, callDuringReplay: false } },
};

export function createTracing(endpoint: string | undefined, serviceName = 'wellflow'): Tracing {
  if (!endpoint)
    return {
      enabled: false,
      clientInterceptors: [],
      activityInterceptors: [],
      sinks: NO_OP_SINKS,
      httpMiddleware: undefined,
      shutdown: async () => {},
    };
  const resource = new Resource({ 'service.name': serviceName });
  // Batches of spans every few seconds: tracing never adds a network round trip to a request or a step.
  // Error text on spans is redacted on the way out (tracing-redaction.ts): no query parameter reaches the collector.
  const exporter = new RedactingSpanExporter(
    new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
  );
  const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register(); // the global provider: Temporal's interceptors use the global tracer
  const tracer = trace.getTracer('wellflow');
  const httpMiddleware: MiddlewareHandler = (c, next) =>
    tracer.startActiveSpan(
      `${c.req.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method } },
      async (span: Span) => {
        try {
          await next();
          const route = routePath(c);
          span.updateName(`${c.req.method} ${route}`);
          span.setAttributes({
            'http.route': route,
            'http.response.status_code': c.res.status,
            'wellflow.request_id': String(c.get('requestId') ?? ''),
          });
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  return {
    enabled: true,
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    httpMiddleware,
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing off: no interceptors, the no-op workflow span sink. */
export const NO_TRACING: Tracing = createTracing(undefined);
