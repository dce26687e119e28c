import { caller } from '../../auth';
import type { JournalService } from '../../services/journal.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './journal.routes';

export function journalHandlers(journal: JournalService) {
  const write: AppRouteHandler<typeof routes.writeEntry> = async (c) => {
    const r = await journal.write(caller(c).sub, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    if (r.replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Location', `/v1/journal-entries/${r.entryId}`);
    return c.json({ entryId: r.entryId, workflowId: r.workflowId }, 202);
  };

  const get: AppRouteHandler<typeof routes.getEntry> = async (c) =>
    c.json(await journal.read(c.req.valid('param').entryId, caller(c)), 200);

  return { write, get };
}
