import { streamSSE } from 'hono/streaming';
import type { Logger } from '../../../logger';
import { logErr } from '../../../observability/redact';
import { caller } from '../../auth';
import type { WorkflowService } from '../../services/workflows.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './workflows.routes';

/** Why 15 s: under the 30-60 s idle timeouts of common proxies and load balancers. */
const KEEPALIVE_MS = 15_000;

export function workflowHandlers(workflows: WorkflowService, logger: Logger) {
  const stats: AppRouteHandler<typeof routes.stats> = async (c) =>
    c.json(await workflows.stats(caller(c), c.req.valid('query')), 200);

  /** Live step progress of a run the caller may see, as server-sent events. */
  const events: AppRouteHandler<typeof routes.events> = async (c) => {
    const { workflowId } = c.req.valid('param');
    const lastEventId = c.req.header('Last-Event-ID') ?? c.req.valid('query').lastEventId;
    // Ownership is checked before the stream opens, so a stranger gets the ordinary 404 envelope.
    const follow = await workflows.events(workflowId, caller(c), lastEventId);
    const requestId = c.get('requestId');
    return streamSSE(c, async (stream) => {
      let aborted = false;
      stream.onAbort(() => {
        aborted = true;
      });
      const keepalive = setInterval(() => void stream.write(': keepalive\n\n').catch(() => {}), KEEPALIVE_MS);
      try {
        for await (const ev of follow(() => aborted)) {
          await stream.writeSSE({ id: ev.id, event: ev.event, data: JSON.stringify(ev.data) });
        }
      } catch (e) {
        // Errors inside the stream are events too: the HTTP status was already sent.
        logger.warn({ err: logErr(e), workflowId }, 'run event stream failed');
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
    });
  };

  const types: AppRouteHandler<typeof routes.types> = (c) => c.json({ items: workflows.types() }, 200);

  const list: AppRouteHandler<typeof routes.list> = async (c) =>
    c.json(await workflows.list({ caller: caller(c), ...c.req.valid('query') }), 200);

  const detail: AppRouteHandler<typeof routes.detail> = async (c) =>
    c.json(await workflows.detail(c.req.valid('param').workflowId, caller(c)), 200);

  const cancel: AppRouteHandler<typeof routes.cancel> = async (c) => {
    const { workflowId } = c.req.valid('param');
    await workflows.cancel(workflowId, caller(c));
    return c.json({ workflowId, status: 'cancelling' as const }, 202);
  };

  return { stats, events, types, list, detail, cancel };
}
