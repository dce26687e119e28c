import type { Database } from '../../db/client';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import { drainOutbox, OUTBOX_CHANNEL, type PendingEvent, pruneOutbox } from './outbox';
import type { EventPublisher } from './publisher';
import type { DomainEnvelope } from './schema';

/**
 * The outbox relay: a loop in each worker process that publishes queued events (./outbox.ts) to JetStream
 * with acknowledgement and stamps them published. Woken by LISTEN/NOTIFY when an event is queued; polls as a
 * safety net (a NOTIFY sent while the listening connection was reconnecting is lost). While NATS is down it
 * retries with capped backoff for as long as the outage lasts: nothing is dropped, the rows just wait.
 * Several relays (several worker processes) can run: each batch is locked with SKIP LOCKED, and a message
 * published twice (a crash between the acknowledgement and the stamp) is dropped by the stream's
 * `Nats-Msg-Id` duplicate window. Why a loop and not a drainer workflow: docs/events.md ("Delivery").
 */
export interface OutboxRelay {
  /** Drains now instead of at the next notification or poll. */
  wake(): void;
  stop(): Promise<void>;
}

// 100 events per transaction: published concurrently, each acknowledged within the sink's 5 s timeout, so a
// batch holds its row locks a few ms normally and at most ~5 s when NATS stops answering.
const BATCH = 100;
// The safety-net poll: a lost NOTIFY delays an event by at most this.
const POLL_MS = 2_000;
// Backoff while NATS (or PostgreSQL) is unavailable: first retry soon, then every 30 s at most, so an outage
// of any length costs one failed publish per 30 s and recovery is noticed within 30 s.
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
// Drains start at least this far apart: a notification within it waits for the rest of it, so under load one
// drain (three statements and a transaction) carries the events of 50 ms instead of one drain per event (at 60
// meals/s that was ~50 drains a second; now at most 20). 50 ms is nothing to the events' consumers (none is
// on a person's critical path) and below the safety-net poll by far.
const MIN_DRAIN_GAP_MS = 50;
// Published rows are pruned hourly (they are kept a day: ./outbox.ts).
const PRUNE_EVERY_MS = 3_600_000;

export function startOutboxRelay(opts: { database: Database; sink: EventPublisher; logger: Logger }): OutboxRelay {
  const { database, sink } = opts;
  const log = opts.logger.child({ component: 'outbox-relay' });
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  let lastError: unknown;
  /** Publishes a batch concurrently; what was acknowledged is stamped even when the rest failed. */
  const sendBatch = async (events: PendingEvent[]) => {
    const results = await Promise.allSettled(
      events.map((e) => sink.publish(e.subject, JSON.parse(e.body) as DomainEnvelope, { msgId: e.id })),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) lastError = failure.reason;
    return { sent: events.filter((_, i) => results[i]!.status === 'fulfilled').map((e) => e.id), failed: !!failure };
  };
  const loop = async () => {
    let backoff = BACKOFF_MIN_MS;
    let failingSince: number | undefined;
    let lastPrune = 0;
    let lastDrain = 0;
    while (!stopped) {
      const gap = lastDrain + MIN_DRAIN_GAP_MS - Date.now();
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
      lastDrain = Date.now();
      woken = false;
      let failed = false;
      let more = false;
      try {
        const r = await drainOutbox(database, BATCH, sendBatch);
        failed = r.failed;
        more = r.more;
      } catch (err) {
        failed = true;
        lastError = err;
      }
      if (failed) {
        if (failingSince === undefined) {
          failingSince = Date.now();
          log.warn({ err: logErr(lastError) }, 'events cannot be published: they wait in the outbox');
        }
        await pause(backoff);
        woken = false; // while failing, a new event does not shorten the backoff
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        continue;
      }
      if (failingSince !== undefined) {
        log.info({ outageS: Math.round((Date.now() - failingSince) / 1000) }, 'events are published again');
        failingSince = undefined;
      }
      backoff = BACKOFF_MIN_MS;
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await pruneOutbox(database).catch(() => 0);
      }
      if (!more) await pause(POLL_MS);
    }
  };

  const listening = database.sql.listen(OUTBOX_CHANNEL, wake).catch((err: unknown) => {
    // The poll still drains; postgres.js re-listens by itself once a listening connection exists.
    log.warn({ err: logErr(err) }, 'outbox relay is not notified; it polls');
    return undefined;
  });
  const running = loop();
  return {
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
      await (await listening)?.unlisten().catch(() => {});
      await sink.close();
    },
  };
}
