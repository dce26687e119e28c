import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ConsoleRepository } from '../../db/repositories/console';
import type { Logger } from '../../logger';
import type { ConsoleEnv } from './console-env';

/**
 * The console's live part: every API process reads the case timeline's new events (crisis_events.feed_seq)
 * while at least one console is connected, and pushes "these cases changed" to the connected browsers over
 * server-sent events. Ids and event types only, never a person's words: the page fetches what it shows.
 */

/**
 * Twice a second: the product target is a new case on screen within 2 s of the entry, and screening plus
 * opening the case already take about a second under load (measured 2.0 s end to end with a 1 s poll on the
 * shared 2-core test machine). It costs two indexed queries per second per API process, and only while someone
 * has the console open.
 */
export const FEED_POLL_MS = 500;
/**
 * Positions are taken at insert and become visible at commit, so a slow transaction can show up below the
 * cursor. Each poll re-reads this many positions behind it (and skips what it already sent).
 */
const LOOKBACK = 200;
/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

export interface FeedChange {
  caseIds: string[];
  types: string[];
}

export function createLiveFeed(repo: ConsoleRepository, logger: Logger) {
  const listeners = new Set<(change: FeedChange) => void>();
  let timer: NodeJS.Timeout | undefined;
  let cursor: number | undefined;
  const sent = new Set<number>();

  async function poll() {
    if (cursor === undefined) {
      cursor = await repo.latestSeq();
      return;
    }
    const rows = (await repo.feedSince(Math.max(0, cursor - LOOKBACK), 500)).filter((r) => !sent.has(r.seq));
    if (rows.length === 0) return;
    for (const r of rows) {
      sent.add(r.seq);
      cursor = Math.max(cursor, r.seq);
    }
    for (const seq of sent) if (seq <= cursor - LOOKBACK) sent.delete(seq);
    const change = { caseIds: [...new Set(rows.map((r) => r.caseId))], types: [...new Set(rows.map((r) => r.type))] };
    for (const fn of listeners) fn(change);
  }

  const loop = () => {
    timer = setTimeout(() => {
      poll()
        .catch((err: unknown) => logger.warn({ err }, 'console live feed poll failed'))
        .finally(() => {
          if (listeners.size > 0) loop();
          else timer = undefined;
        });
    }, FEED_POLL_MS);
  };

  let started: Promise<void> = Promise.resolve();
  return {
    /**
     * Adds a listener; the promise resolves once the feed has its starting position, so a browser told
     * "ready" misses nothing that happens after.
     */
    async subscribe(fn: (change: FeedChange) => void): Promise<() => void> {
      listeners.add(fn);
      if (!timer) {
        cursor = undefined; // start from now: what happened while nobody watched is in the page itself
        started = poll().catch((err: unknown) => logger.warn({ err }, 'console live feed start failed'));
        loop();
      }
      await started;
      return () => listeners.delete(fn);
    },
    stop() {
      listeners.clear();
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type LiveFeed = ReturnType<typeof createLiveFeed>;

/** GET /console/events: the feed as server-sent events (`event: cases`). */
export function mountEventStream(app: Hono<ConsoleEnv>, feed: LiveFeed) {
  app.get('/console/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: FeedChange[] = [];
      let wake: (() => void) | undefined;
      let open = true;
      const unsubscribe = await feed.subscribe((change) => {
        queue.push(change);
        wake?.();
      });
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}', retry: 2000 });
      try {
        while (open) {
          const change = queue.shift();
          if (change) {
            await stream.writeSSE({ event: 'cases', data: JSON.stringify(change) });
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, HEARTBEAT_MS);
          });
          wake = undefined;
          if (open && queue.length === 0) await stream.write(': keep-alive\n\n');
        }
      } catch {
        // The browser went away mid-write: nothing to answer (errors here never reach app.onError).
      } finally {
        unsubscribe();
      }
    }),
  );
}
