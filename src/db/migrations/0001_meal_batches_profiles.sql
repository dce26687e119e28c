CREATE TABLE "app"."meal_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"item_count" integer NOT NULL,
	"concurrency" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app"."user_profiles" (
	"user_id" text PRIMARY KEY NOT NULL,
	"sex" text,
	"age_years" integer,
	"height_cm" real,
	"weight_kg" real,
	"activity" text,
	"guideline_profile" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app"."meals" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "app"."meals" ADD COLUMN "batch_index" integer;--> statement-breakpoint
CREATE INDEX "meals_batch_idx" ON "app"."meals" USING btree ("batch_id");