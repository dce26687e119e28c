-- A person's confirmation that a meal's analysis is right (POST /v1/meals/{id}/confirm): with corrections, the
-- labels the model retraining's snapshot learns from (docs/model-retraining.md). The time is kept, not who: only
-- the meal's own person can confirm it.
ALTER TABLE "app"."meals" ADD COLUMN "confirmed_at" timestamp with time zone;
--> statement-breakpoint
-- The snapshot reads photo meals confirmed since the previous run.
CREATE INDEX "meals_confirmed_photo_idx" ON "app"."meals" USING btree ("confirmed_at") WHERE "confirmed_at" IS NOT NULL AND "image_key" IS NOT NULL;
