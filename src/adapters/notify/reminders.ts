import type { Logger } from '../../logger';
import { createNatsPublisher } from '../nats-publisher';
import { createFanoutNotifier } from './fanout';
import { NotifyError } from './types';
import { createSignedWebhookPoster, DEFAULT_WEBHOOK_TIMEOUT_MS } from './webhook';

/**
 * Routine reminders to a person's devices, besides the in-app inbox (docs/routines.md, "Channels"): the same
 * signed webhook and NATS transports as staff alerts, behind the same fan-out (all channels concurrently, a
 * failure of any one reported for a retry, receivers dedupe by `notificationId`).
 *
 * A reminder carries ids, the delivery number and the fixed wording of the task's category
 * (src/domain/routines/messages.ts): never the task's name, config or answers, which may be health content.
 * `serializeReminder` copies the allowed fields by name, so a richer object passed in leaks nothing.
 */
export interface ReminderNotification {
  event: 'task.reminder';
  /** `<executionId>:<delivery>`, as the inbox message's id: the same reminder is the same id everywhere. */
  notificationId: string;
  userId: string;
  taskId: string;
  executionId: string;
  /** 1 for the first delivery, 2… after each snooze. */
  delivery: number;
  title: string;
  body: string;
  /** Where the app opens the reminder: the inbox. */
  link: string;
  occurredAt: string;
}

export const REMINDER_FIELDS = [
  'event',
  'notificationId',
  'userId',
  'taskId',
  'executionId',
  'delivery',
  'title',
  'body',
  'link',
  'occurredAt',
] as const satisfies readonly (keyof ReminderNotification)[];

export function serializeReminder(r: ReminderNotification): string {
  return JSON.stringify(r, [...REMINDER_FIELDS]);
}

/** One subject for every person's reminders: a push gateway subscribes once (JetStream keeps them: `wellflow.>`). */
export const REMINDER_SUBJECT = 'wellflow.reminder.due';

export interface ReminderChannel {
  readonly kind: string;
  notify(r: ReminderNotification): Promise<void>;
  close(): Promise<void>;
}

/** Why 5 s: one small message; a NATS server that has not confirmed it by then is down (the step retries). */
const NATS_TIMEOUT_MS = 5_000;

export interface ReminderChannelConfig {
  /** The app's push gateway (it knows the person's devices); signed with `webhookSecret`. */
  webhookUrl?: string;
  webhookSecret?: string;
  natsUrl?: string;
  logger: Logger;
}

/**
 * The configured reminder channels behind one fan-out, or undefined when none is configured (reminders then
 * reach the inbox only). The log channel records ids only, never the reminder's text.
 */
export function createReminderChannels(config: ReminderChannelConfig): ReminderChannel | undefined {
  const log = config.logger.child({ component: 'reminders' });
  const channels: ReminderChannel[] = [];
  if (config.webhookUrl && config.webhookSecret) {
    const post = createSignedWebhookPoster({
      url: config.webhookUrl,
      secret: config.webhookSecret,
      timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
    });
    channels.push({
      kind: 'webhook',
      notify: (r) => post(r.event, r.notificationId, serializeReminder(r)),
      async close() {},
    });
  }
  if (config.natsUrl) {
    const nats = createNatsPublisher(new URL(config.natsUrl), {
      name: 'wellflow-reminders',
      timeoutMs: NATS_TIMEOUT_MS,
    });
    channels.push({
      kind: 'nats',
      async notify(r) {
        try {
          await nats.publish(REMINDER_SUBJECT, serializeReminder(r), r.notificationId);
        } catch (err) {
          throw new NotifyError('unavailable', (err as Error).message, { channel: 'nats', retryable: true });
        }
      },
      close: () => nats.close(),
    });
  }
  if (channels.length === 0) return undefined;
  const fanout = createFanoutNotifier<ReminderNotification>(channels);
  return {
    kind: channels.map((c) => c.kind).join('+'), // e.g. webhook+nats
    async notify(r) {
      await fanout.notify(r);
      log.info(
        { notificationId: r.notificationId, taskId: r.taskId, channels: channels.map((c) => c.kind) },
        'reminder pushed',
      );
    },
    close: () => fanout.close(),
  };
}
