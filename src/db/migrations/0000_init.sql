CREATE SCHEMA "app";
--> statement-breakpoint
CREATE TABLE "app"."idempotency_keys" (
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "app"."meal_analyses" (
	"meal_id" uuid PRIMARY KEY NOT NULL,
	"items" jsonb NOT NULL,
	"totals" jsonb NOT NULL,
	"feedback" jsonb NOT NULL,
	"warnings" jsonb NOT NULL,
	"confidence" real NOT NULL,
	"food_table_version" text NOT NULL,
	"analyzed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app"."meals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"description" text,
	"eaten_at" timestamp with time zone NOT NULL,
	"meal_type" text NOT NULL,
	"image_key" text,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text,
	"outcome_reason" text,
	"steps" jsonb,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "app"."meal_analyses" ADD CONSTRAINT "meal_analyses_meal_id_meals_id_fk" FOREIGN KEY ("meal_id") REFERENCES "app"."meals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_created_idx" ON "app"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "meals_user_eaten_idx" ON "app"."meals" USING btree ("user_id","eaten_at" DESC NULLS LAST,"id" DESC NULLS LAST);