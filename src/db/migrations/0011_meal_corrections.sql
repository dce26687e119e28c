-- Meal corrections (docs/meal-corrections.md): a person replaces a completed meal's item list. Each correction is
-- one revision row: what the person asked for, what it was estimated to, and the analysis it replaced (the first
-- revision's `replaced` is the original analysis, kept beside every later one). The corrected analysis itself is
-- written to meal_analyses, so day totals, feedback and weekly insights read the corrected numbers.
CREATE TABLE "app"."meal_corrections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"meal_id" uuid NOT NULL REFERENCES "app"."meals"("id") ON DELETE CASCADE,
	"user_id" text NOT NULL,
	"revision" integer NOT NULL,
	"status" text NOT NULL,
	"requested_items" jsonb NOT NULL,
	"items" jsonb,
	"totals" jsonb,
	"feedback" jsonb,
	"warnings" jsonb,
	"confidence" real,
	"food_table_version" text,
	"replaced" jsonb,
	"corrected_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"corrected_at" timestamp with time zone,
	"failure_reason" text,
	"workflow_id" text NOT NULL,
	"run_id" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "meal_corrections_meal_revision_idx" ON "app"."meal_corrections" USING btree ("meal_id","revision");
--> statement-breakpoint
-- One correction at a time per meal: a second pending revision is refused by the database itself.
CREATE UNIQUE INDEX "meal_corrections_one_pending_idx" ON "app"."meal_corrections" USING btree ("meal_id") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "meal_corrections_user_idx" ON "app"."meal_corrections" USING btree ("user_id");
--> statement-breakpoint
-- A weekly insight whose meals changed after it was computed: stale while marked_at > its computed_at, so the
-- next computation of the week (schedule, fan-out or on demand) makes it fresh without clearing anything.
CREATE TABLE "app"."weekly_insight_stale_marks" (
	"user_id" text NOT NULL,
	"week_start" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "weekly_insight_stale_marks_pk" PRIMARY KEY("user_id","week_start")
);
