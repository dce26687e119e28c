import { createRouter } from '../../router';
import { createJournalService } from '../../services/journal.service';
import type { ApiDeps } from '../../types';
import { journalHandlers } from './journal.handlers';
import * as routes from './journal.routes';

export function journalRouter(deps: ApiDeps) {
  const handlers = journalHandlers(
    createJournalService({
      database: deps.database,
      temporal: deps.temporal,
      logger: deps.logger,
      secrets: deps.secrets,
      idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    }),
  );
  return createRouter().openapi(routes.writeEntry, handlers.write).openapi(routes.getEntry, handlers.get);
}
