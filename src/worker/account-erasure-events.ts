import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { subSchema } from '../api/identity/caller';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { requestErasure } from '../temporal/account-erasure';
import { type DurableConsumer, startDurableConsumer } from './durable-consumer';

/**
 * `user.deleted` on NATS_USER_DELETED_SUBJECT (default `wellflow.user.deleted`): the account service announces a
 * deleted account (a CloudEvent, `{"type":"user.deleted","data":{"userId":"…"}}`); each one asks for that
 * person's erasure. At-least-once through the durable consumer `wellflow-account-erasure`; idempotent by user
 * id (requestErasure joins a running erasure and never restarts a completed one), so a redelivery is harmless.
 */
const DURABLE = 'wellflow-account-erasure';

const UserDeleted = z.object({
  id: z.string().min(1).max(250),
  type: z.literal('user.deleted'),
  time: z.iso.datetime({ offset: true }),
  data: z.object({ userId: subSchema }),
});

export function startUserDeletedConsumer(deps: {
  natsUrl: string;
  /** NATS_USER_DELETED_SUBJECT. */
  subject: string;
  database: Database;
  temporal: Client;
  logger: Logger;
}): DurableConsumer {
  return startDurableConsumer({
    natsUrl: deps.natsUrl,
    durable: DURABLE,
    subject: deps.subject,
    schema: UserDeleted,
    apply: async (event) => {
      const r = await requestErasure(deps, event.data.userId, 'event');
      deps.logger.info({ userId: event.data.userId, workflowId: r.workflowId }, 'user.deleted: erasure requested');
    },
    logger: deps.logger,
  });
}
