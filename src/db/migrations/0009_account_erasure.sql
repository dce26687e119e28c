-- Account erasure (docs/account-lifecycle.md, Erasure): one row per person whose erasure was asked for. It is
-- the "erased" mark the API checks (410 account_erased for their token) and the receipt kept afterwards: who
-- (the user id only), what asked for it, when each phase ended and how many rows and files of each kind went.
-- No personal data: counts are numbers per kind; the trigger is one of api, admin, event.
CREATE TABLE "app"."account_erasures" (
	"user_id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"runs_closed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"crisis_cases_retained" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "account_erasures_open_idx" ON "app"."account_erasures" USING btree ("requested_at") WHERE "completed_at" IS NULL;
