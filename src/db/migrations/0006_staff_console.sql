-- The staff console's live feed: a gapless-enough, ever-increasing position for every timeline event, so each
-- API process can ask "what happened since position N" once a second with an index scan (crisis_events.at is
-- the workflow's clock, not the insertion order, so it cannot serve as a cursor).
ALTER TABLE "app"."crisis_events" ADD COLUMN "feed_seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
CREATE INDEX "crisis_events_feed_idx" ON "app"."crisis_events" USING btree ("feed_seq");
