import { type SQL, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import type { EventPublisher } from './publisher';
import { type DomainEnvelope, subjectFor } from './schema';

/**
 * The event outbox (docs/events.md, "Delivery"): activities queue a domain event as one row in
 * `app.event_outbox` instead of talking to NATS, so storing an event needs only PostgreSQL, which the step
 * that stored the fact has just used. The outbox relay (./outbox-relay.ts) publishes each row to JetStream.
 */
export const OUTBOX_CHANNEL = 'wellflow_outbox';

/**
 * An EventPublisher that queues in the outbox: one statement inserts the row (a repeat of the same event id,
 * e.g. a retried activity, changes nothing) and wakes the relay with NOTIFY, sent when the insert commits.
 */
export function createOutboxPublisher(database: Database): EventPublisher {
  return {
    kind: 'outbox',
    publish: (subject, event, options) => queueEvent(database.db, subject, event, options?.msgId ?? event.id),
    async close() {},
  };
}

/**
 * The one statement that queues an event: insert the row (a repeat of the same event id, e.g. a retried
 * activity, changes nothing) and NOTIFY the relay for the row inserted (sent when the statement's transaction
 * commits, so the relay is woken only for events that exist). As a CTE named `queued`, so a caller can make
 * it part of the statement that writes the fact the event reports; `when` (a query) makes it conditional on
 * that statement's own result, e.g. "the close updated a row".
 */
function queuedCte(subject: string, event: DomainEnvelope, id: string, when?: SQL): SQL {
  return sql`queued as (
      insert into app.event_outbox (id, subject, body)
      select ${id}, ${subject}, ${JSON.stringify(event)} ${when ? sql`where exists (${when})` : sql``}
      on conflict (id) do nothing
      returning pg_notify(${OUTBOX_CHANNEL}, ''))`;
}

/**
 * Queues one event on `db`, which may be a transaction: then the event commits or rolls back with the change
 * it reports (a task row and its task.created), and NOTIFY (sent at commit) wakes the relay only if it commits.
 */
async function queueEvent(db: Db, subject: string, event: DomainEnvelope, id: string): Promise<void> {
  await db.execute(sql`with ${queuedCte(subject, event, id)} select count(*) from queued`);
}

/** A domain event on `wellflow.<type>` (id = the event's id), queued inside the caller's transaction. */
export function queueDomainEvent(tx: Db, event: DomainEnvelope): Promise<void> {
  return queueEvent(tx, subjectFor(event.type), event, event.id);
}

/**
 * A domain event as a CTE of the caller's own statement, queued only when `when` returns a row: the fact and
 * its event are written by one statement, atomically, with no transaction round trips around it.
 */
export function queueDomainEventCte(event: DomainEnvelope, when: SQL): SQL {
  return queuedCte(subjectFor(event.type), event, event.id, when);
}

export interface PendingEvent {
  id: string;
  subject: string;
  body: string;
}

/**
 * Takes the oldest unpublished events (locked, so a second relay skips them), lets `send` publish them in
 * order, and stamps the ones it confirmed, in one transaction. Returns how many were published and whether
 * `send` stopped early (a failure: the rest stay queued).
 */
export async function drainOutbox(
  database: Database,
  limit: number,
  send: (events: PendingEvent[]) => Promise<{ sent: string[]; failed: boolean }>,
): Promise<{ sent: number; failed: boolean; more: boolean }> {
  return database.sql.begin(async (tx) => {
    const rows = await tx<PendingEvent[]>`
      select id, subject, body from app.event_outbox
      where published_at is null
      order by created_at, id
      limit ${limit}
      for update skip locked`;
    if (rows.length === 0) return { sent: 0, failed: false, more: false };
    const { sent, failed } = await send([...rows]);
    if (sent.length) await tx`update app.event_outbox set published_at = now() where id = any(${sent})`;
    if (failed) {
      const left = rows.map((r) => r.id).filter((id) => !sent.includes(id));
      await tx`update app.event_outbox set attempts = attempts + 1 where id = any(${left})`;
    }
    return { sent: sent.length, failed, more: rows.length === limit };
  });
}

/** Published rows are kept a day (a retried activity's insert stays a no-op), then removed. */
export async function pruneOutbox(database: Database): Promise<number> {
  const rows = await database.sql`
    delete from app.event_outbox where published_at < now() - interval '1 day' returning 1`;
  return rows.length;
}

/** Events not yet published, and the age in seconds of the oldest: for health and the tests. */
export async function outboxBacklog(database: Database): Promise<{ pending: number; oldestAgeS: number }> {
  const [row] = await database.sql<{ pending: number; oldest_age_s: number | null }[]>`
    select count(*)::int as pending, extract(epoch from now() - min(created_at))::float as oldest_age_s
    from app.event_outbox where published_at is null`;
  return { pending: row?.pending ?? 0, oldestAgeS: row?.oldest_age_s ?? 0 };
}
