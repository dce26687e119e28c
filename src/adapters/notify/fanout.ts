import { type ChannelFailure, type CrisisNotification, type Notifier, NotifyError } from './types';

/** A channel of any notification shape: crisis alerts (Notifier) or reminders (./reminders.ts). */
type Channel<N> = Omit<Notifier, 'notify'> & { notify(n: N): Promise<void> };

/**
 * Delivers every notification to all channels, concurrently, and only then reports: one slow or broken
 * channel never keeps the others from alerting staff.
 *
 * If any channel fails, `notify` throws a NotifyError (code 'partial_failure') listing each failure in
 * `failures` and the channels that succeeded in `delivered`. It is retryable if any failure is, so the
 * activity retries the whole fan-out.
 *
 * AT-LEAST-ONCE: a retry re-sends to channels that already succeeded (this adapter keeps no state between
 * attempts; an activity retry may run on another worker). Receivers MUST dedupe by `notificationId`
 * (webhook `Idempotency-Key`, NATS `Nats-Msg-Id`). An error that is not a NotifyError (a bug in a channel) is
 * treated as retryable: for a crisis alert a wasted retry is cheaper than a silently dropped one.
 */
export function createFanoutNotifier<N = CrisisNotification>(notifiers: readonly Channel<N>[]): Channel<N> {
  const channels = [...notifiers];
  return {
    kind: 'fanout',
    async notify(n: N) {
      const results = await Promise.allSettled(channels.map((c) => c.notify(n)));
      const failures: ChannelFailure[] = [];
      const delivered: string[] = [];
      let retryAfterMs: number | undefined; // the longest Retry-After any channel asked for
      results.forEach((r, i) => {
        const channel = channels[i]?.kind ?? `#${i}`;
        if (r.status === 'fulfilled') {
          delivered.push(channel);
          return;
        }
        failures.push(toFailure(channel, r.reason));
        const hint = r.reason instanceof NotifyError ? r.reason.retryAfterMs : undefined;
        if (hint !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, hint);
      });
      if (failures.length === 0) return;
      const retryable = failures.some((f) => f.retryable);
      const detail = failures
        .map((f) => `${f.channel} (${f.code}${f.retryable ? ', retryable' : ''}): ${f.message}`)
        .join('; ');
      throw new NotifyError(
        'partial_failure',
        `${failures.length} of ${channels.length} notification channels failed: ${detail}`,
        {
          channel: 'fanout',
          retryable,
          failures,
          delivered,
          retryAfterMs,
        },
      );
    },
    async close() {
      await Promise.allSettled(channels.map((c) => c.close()));
    },
  };
}

function toFailure(channel: string, reason: unknown): ChannelFailure {
  if (reason instanceof NotifyError)
    return { channel, code: reason.code, retryable: reason.retryable, message: reason.message };
  const message = reason instanceof Error ? reason.message : String(reason);
  return { channel, code: 'unavailable', retryable: true, message };
}
