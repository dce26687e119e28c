-- Model retraining (docs/model-retraining.md). Which recogniser model serves photos: one routing row per slot (the
-- configured INFERENCE_MODEL's name, so changing the setting starts from that model again), naming the version in
-- use and, during a canary, the candidate and the share of meals routed to it. No row: the configured model at the
-- server's default version, no canary.
CREATE TABLE "app"."model_routing" (
	"slot" text PRIMARY KEY NOT NULL,
	"current_model" text NOT NULL,
	"current_version" text,
	"candidate_model" text,
	"candidate_version" text,
	"canary_share" real DEFAULT 0 NOT NULL,
	"canary_since" timestamp with time zone,
	"retraining_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_routing_share_range" CHECK ("canary_share" >= 0 AND "canary_share" <= 1)
);
--> statement-breakpoint
-- One row per retraining run (its id is the run's workflow id): its status, the training job (recorded before the
-- wait, so a restarted worker polls the same job instead of submitting another), the candidate, the report.
CREATE TABLE "app"."model_retrainings" (
	"id" text PRIMARY KEY NOT NULL,
	"requested_by" text NOT NULL,
	"status" text NOT NULL,
	"manifest_path" text,
	"labelled_count" integer,
	"training_job_id" text,
	"candidate_model" text,
	"candidate_version" text,
	"report" jsonb,
	"decided_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
-- One unfinished retraining at a time: two runs would fight over the routing row's canary.
CREATE UNIQUE INDEX "model_retrainings_one_active_idx" ON "app"."model_retrainings" USING btree ((true)) WHERE "finished_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "model_retrainings_started_idx" ON "app"."model_retrainings" USING btree ("started_at" DESC);
--> statement-breakpoint
-- Each step a run took, in order (snapshot, submitted, trained, evaluated, gate, approval, canary, promoted ...).
-- `step_key` makes a retried write of the same step a no-op. Details are counts, rates and versions only.
CREATE TABLE "app"."model_retraining_steps" (
	"retraining_id" text NOT NULL REFERENCES "app"."model_retrainings"("id") ON DELETE CASCADE,
	"step_key" text NOT NULL,
	"step" text NOT NULL,
	"detail" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_retraining_steps_pk" PRIMARY KEY("retraining_id","step_key")
);
--> statement-breakpoint
-- The recognise step's outcome for each photo meal, by the model version that served it: the canary watch compares
-- the candidate's error and needs_input rates with the current model's over the same window. One row per meal (the
-- latest attempt's outcome); `route` says whether the canary routing sent it to the candidate.
CREATE TABLE "app"."model_recognitions" (
	"meal_id" uuid PRIMARY KEY NOT NULL REFERENCES "app"."meals"("id") ON DELETE CASCADE,
	"slot" text NOT NULL,
	"route" text NOT NULL,
	"model" text NOT NULL,
	"model_version" text,
	"outcome" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "model_recognitions_slot_at_idx" ON "app"."model_recognitions" USING btree ("slot","at");
--> statement-breakpoint
-- The model (and version) that recognised a photo meal's analysis; null for text meals and older analyses.
ALTER TABLE "app"."meal_analyses" ADD COLUMN "model" text;
--> statement-breakpoint
ALTER TABLE "app"."meal_analyses" ADD COLUMN "model_version" text;
