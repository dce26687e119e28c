import { caller } from '../../auth';
import type { BatchService } from '../../services/batches.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './meal-batches.routes';

export function batchHandlers(batches: BatchService) {
  const create: AppRouteHandler<typeof routes.createBatch> = async (c) => {
    const body = c.req.valid('json');
    const started = await batches.start({
      userId: caller(c).sub,
      items: body.items,
      concurrency: body.concurrency,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    c.header('Location', `/v1/meals/batch/${started.batchId}`);
    if (started.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ batchId: started.batchId, workflowId: started.workflowId }, 202);
  };

  const get: AppRouteHandler<typeof routes.getBatch> = async (c) =>
    c.json(await batches.get(c.req.valid('param').batchId, caller(c).sub), 200);

  return { create, get };
}
