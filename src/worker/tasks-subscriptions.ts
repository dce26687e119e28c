import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { SUBSCRIPTION_LEVELS } from '../domain/routines/vocabulary';
import type { Logger } from '../logger';
import { createTaskLifecycle, type TaskLifecycle } from '../temporal/tasks-lifecycle';
import { startDurableConsumer, type DurableConsumer } from './durable-consumer';

/**
 * Consumes `wellflow.subscription.changed` (the billing service's announcement of a person's new level) and
 * applies the level's task cap (src/temporal/tasks-lifecycle.ts: pause the newest active tasks over it,
 * resume cap-paused ones when it rises).
 *
 * Why a durable JetStream consumer, not a core subscription: a core subscription only sees messages sent
 * while it is connected, so a level change announced during a deploy or a worker restart would be lost and
 * the person would keep (or never get back) tasks their level allows. The durable consumer
 * `wellflow-routines-subscriptions` (src/worker/durable-consumer.ts) remembers what was acknowledged, so each
 * change is applied after any outage, and several worker processes share it. Applying is idempotent (the
 * stored level keeps the newest `time`, pausing/resuming converges), so a redelivery is harmless.
 */
export const SUBSCRIPTION_SUBJECT = 'wellflow.subscription.changed';
const DURABLE = 'wellflow-routines-subscriptions';

const SubscriptionChanged = z.object({
  id: z.string().min(1).max(250),
  type: z.literal('subscription.changed'),
  time: z.iso.datetime({ offset: true }),
  data: z.object({
    userId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.@:-]+$/),
    level: z.enum(SUBSCRIPTION_LEVELS),
  }),
});

export type SubscriptionConsumer = DurableConsumer;

export function startSubscriptionConsumer(opts: {
  natsUrl: string;
  lifecycle: TaskLifecycle;
  logger: Logger;
}): SubscriptionConsumer {
  return startDurableConsumer({
    natsUrl: opts.natsUrl,
    durable: DURABLE,
    subject: SUBSCRIPTION_SUBJECT,
    schema: SubscriptionChanged,
    apply: async ({ data, time }) => {
      await opts.lifecycle.applyLevel(data.userId, data.level, new Date(time));
    },
    logger: opts.logger,
  });
}

/** The consumer as a worker process runs it: task events it causes are queued in the outbox with their rows. */
export function startTaskSubscriptionConsumer(deps: {
  natsUrl: string;
  database: Database;
  temporal: Client;
  logger: Logger;
}): SubscriptionConsumer {
  const lifecycle = createTaskLifecycle({ database: deps.database, temporal: deps.temporal, logger: deps.logger });
  return startSubscriptionConsumer({ natsUrl: deps.natsUrl, lifecycle, logger: deps.logger });
}
