import { index, integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The event outbox (migration 0005_event_outbox, docs/events.md): domain events waiting for delivery. */
const app = pgSchema('app');

export const eventOutbox = app.table(
  'event_outbox',
  {
    /** The event id (`<type>:<fact key>`): one row per business fact, and the `Nats-Msg-Id` it is sent with. */
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    /** The CloudEvents JSON exactly as published (ids and statuses only: no health data). */
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    index('event_outbox_pending')
      .on(t.createdAt)
      .where(sql`${t.publishedAt} is null`),
  ],
);
