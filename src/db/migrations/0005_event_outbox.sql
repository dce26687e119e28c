-- Domain events waiting for delivery (docs/events.md): written by the activity that stores the fact, drained
-- by the outbox relay, which publishes each to JetStream with acknowledgement (Nats-Msg-Id = id) and then
-- stamps published_at. Published rows stay a day so a retried activity's insert is still a no-op.
CREATE TABLE IF NOT EXISTS "app"."event_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "event_outbox_pending" ON "app"."event_outbox" ("created_at") WHERE "published_at" IS NULL;
