import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { caller } from '../auth';
import type { ApiDeps, App } from '../deps';
import { ErrorEnvelopeSchema } from '../errors';
import { parseEventId } from '../run-events';
import { followRun } from '../run-stream';
import { stepResolver } from '../workflow-catalog';
import { describeOwnedRun } from '../workflow-views';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
/** Why 15 s: under the 30-60 s idle timeouts of common proxies and load balancers. */
const KEEPALIVE_MS = 15_000;

/** `GET /v1/workflows/{workflowId}/events`: live step progress of a run the caller may see, as server-sent events. */
export function registerWorkflowEventRoutes(app: App, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workflows/{workflowId}/events',
      tags: ['workflows'],
      summary: 'Live step progress (server-sent events) until the run closes; resumable with Last-Event-ID',
      description:
        'Events: run.started, step.started, step.retried, step.completed, step.failed, step.cancelled, input.waiting, status, signal, timer.started, child.started, child.finished, run.finished (then the stream ends), error. Each `data` is JSON with workflowId, runId, at and the event fields. Ids come from the run history, so reconnecting with `Last-Event-ID` (or `?lastEventId=`) continues after the last event received.',
      security: [{ bearer: [] }],
      request: {
        params: z.object({ workflowId: z.string().min(1).max(256) }),
        query: z.object({ lastEventId: z.string().max(32).optional() }),
      },
      responses: {
        200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'The event stream' },
        401: err('No or invalid token'),
        404: err('No such run for this caller'),
      },
    }),
    async (c) => {
      const { workflowId } = c.req.valid('param');
      // Ownership is checked before the stream opens, so a stranger gets the ordinary 404 envelope.
      const { desc } = await describeOwnedRun(deps.temporal, workflowId, caller(c));
      const after = parseEventId(c.req.header('Last-Event-ID') ?? c.req.valid('query').lastEventId);
      const requestId = c.get('requestId');
      return streamSSE(c, async (stream) => {
        let aborted = false;
        stream.onAbort(() => {
          aborted = true;
        });
        const keepalive = setInterval(() => void stream.write(': keepalive\n\n').catch(() => {}), KEEPALIVE_MS);
        try {
          for await (const ev of followRun(
            deps.temporal,
            deps.config.TEMPORAL_NAMESPACE,
            { workflowId, runId: desc.runId },
            stepResolver(desc.type),
            { after, aborted: () => aborted },
          )) {
            await stream.writeSSE({ id: ev.id, event: ev.event, data: JSON.stringify(ev.data) });
          }
        } catch (e) {
          // Errors inside the stream are events too: the HTTP status was already sent.
          deps.logger.warn({ err: String(e), workflowId }, 'run event stream failed');
          await stream
            .writeSSE({
              event: 'error',
              data: JSON.stringify({
                message: 'The event stream was interrupted; reconnect with Last-Event-ID to continue.',
                request_id: requestId,
              }),
            })
            .catch(() => {});
        } finally {
          clearInterval(keepalive);
        }
      }) as never;
    },
  );
}
