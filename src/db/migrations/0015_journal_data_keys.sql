-- Per-person journal data keys (docs/account-lifecycle.md, Crypto-shredding): one row per person who has written
-- a journal entry, holding their data key wrapped under the deployment key (never the key itself) and the id of
-- that wrapping key, so the deployment key can rotate. Erasure deletes the row; the person's v2 journal text is
-- then unreadable wherever a copy of it lies.
CREATE TABLE "app"."journal_data_keys" (
	"user_id" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"wrapping_key_id" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewrapped_at" timestamp with time zone
);
