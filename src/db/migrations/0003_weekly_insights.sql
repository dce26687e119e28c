CREATE TABLE "app"."weekly_insights" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"week_start" text NOT NULL,
	"timezone" text NOT NULL,
	"insight" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "weekly_insights_user_week_idx" ON "app"."weekly_insights" USING btree ("user_id","week_start");