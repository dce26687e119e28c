-- A task row committed before its Temporal Schedule was written (docs/routines.md): set by the create's
-- transaction, cleared once the schedule is written. A process that dies in between leaves the mark, and the
-- hourly cleanup writes the schedule from the row (rows that predate this column are already scheduled: null).
ALTER TABLE "app"."tasks" ADD COLUMN "schedule_pending_since" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "tasks_schedule_pending_idx" ON "app"."tasks" USING btree ("schedule_pending_since") WHERE "schedule_pending_since" IS NOT NULL;
