CREATE TABLE "app"."crisis_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"status" text NOT NULL,
	"tier" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"ack_deadline" timestamp with time zone,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"resolved_at" timestamp with time zone,
	"outcome" text,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app"."crisis_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"event_key" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "crisis_events_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
CREATE TABLE "app"."journal_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"text_encrypted" text NOT NULL,
	"mood" integer,
	"locale" text NOT NULL,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"screening" jsonb,
	"screened_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "app"."crisis_events" ADD CONSTRAINT "crisis_events_case_id_crisis_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "app"."crisis_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crisis_cases_status_idx" ON "app"."crisis_cases" USING btree ("status","opened_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "crisis_cases_user_idx" ON "app"."crisis_cases" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "crisis_events_case_idx" ON "app"."crisis_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "journal_user_created_idx" ON "app"."journal_entries" USING btree ("user_id","created_at" DESC NULLS LAST);