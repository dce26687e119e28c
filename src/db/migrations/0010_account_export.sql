-- Account export (docs/account-lifecycle.md, Export): one row per archive a person asked for. The archive file
-- lives in <data dir>/exports/<file_name>; the row says whose it is, whether it is ready, when it expires (24 h,
-- then the cleanup job deletes the file) and the hash of the current one-time download token (never the token).
CREATE TABLE "app"."account_exports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"status" text NOT NULL,
	"file_name" text,
	"size_bytes" bigint,
	"counts" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"file_deleted_at" timestamp with time zone,
	"token_hash" text,
	"token_expires_at" timestamp with time zone,
	"token_used_at" timestamp with time zone,
	"downloaded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "account_exports_user_idx" ON "app"."account_exports" USING btree ("user_id","created_at" DESC);
--> statement-breakpoint
-- At most one running export per person: a second POST /v1/me/export returns the running one.
CREATE UNIQUE INDEX "account_exports_one_running_idx" ON "app"."account_exports" USING btree ("user_id") WHERE "status" = 'running';
--> statement-breakpoint
CREATE UNIQUE INDEX "account_exports_token_idx" ON "app"."account_exports" USING btree ("token_hash");
--> statement-breakpoint
-- The cleanup job: archives past their expiry whose file is still on disk.
CREATE INDEX "account_exports_expiring_idx" ON "app"."account_exports" USING btree ("expires_at") WHERE "file_name" IS NOT NULL AND "file_deleted_at" IS NULL;
