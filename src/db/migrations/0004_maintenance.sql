CREATE TABLE "app"."data_deletions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"kind" text NOT NULL,
	"resource_id" text NOT NULL,
	"user_id" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app"."maintenance_runs" (
	"run_id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"job" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"result" jsonb
);
--> statement-breakpoint
ALTER TABLE "app"."journal_entries" ALTER COLUMN "text_encrypted" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "app"."journal_entries" ADD COLUMN "text_deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "app"."meals" ADD COLUMN "image_deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "app"."user_profiles" ADD COLUMN "timezone" text;--> statement-breakpoint
CREATE UNIQUE INDEX "data_deletions_kind_resource_idx" ON "app"."data_deletions" USING btree ("kind","resource_id");--> statement-breakpoint
CREATE INDEX "data_deletions_user_idx" ON "app"."data_deletions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "maintenance_runs_job_idx" ON "app"."maintenance_runs" USING btree ("job","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "journal_text_created_idx" ON "app"."journal_entries" USING btree ("created_at") WHERE "app"."journal_entries"."text_encrypted" is not null;--> statement-breakpoint
CREATE INDEX "meals_image_key_idx" ON "app"."meals" USING btree ("image_key");--> statement-breakpoint
CREATE INDEX "meals_created_with_image_idx" ON "app"."meals" USING btree ("created_at") WHERE "app"."meals"."image_key" is not null;--> statement-breakpoint
CREATE INDEX "meals_open_created_idx" ON "app"."meals" USING btree ("created_at") WHERE "app"."meals"."outcome" is null;