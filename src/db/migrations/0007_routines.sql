-- Personal routines (docs/routines.md): templates, tasks, their executions, the in-app inbox and the
-- subscription level that caps them. Templates are seeded here; adding one is a new migration (see the doc).
CREATE TABLE "app"."task_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"task_type" text NOT NULL,
	"default_config" jsonb NOT NULL,
	"config_schema" jsonb NOT NULL,
	"required_level" text NOT NULL,
	"credits_per_run" integer NOT NULL,
	"asks_answer" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app"."tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"template_id" text REFERENCES "app"."task_templates"("id"),
	"name" text NOT NULL,
	"category" text NOT NULL,
	"task_type" text NOT NULL,
	"config" jsonb NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"timezone" text NOT NULL,
	"status" text NOT NULL,
	"paused_reason" text,
	"asks_answer" boolean NOT NULL,
	"credits_per_run" integer NOT NULL,
	"due_at" timestamp with time zone,
	"reminder_at" timestamp with time zone,
	"is_completed" boolean DEFAULT false NOT NULL,
	"completed_at" timestamp with time zone,
	"run_count" integer DEFAULT 0 NOT NULL,
	"done_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"missed_count" integer DEFAULT 0 NOT NULL,
	"credits_used" integer DEFAULT 0 NOT NULL,
	"current_streak" integer DEFAULT 0 NOT NULL,
	"best_streak" integer DEFAULT 0 NOT NULL,
	"last_done_day" text,
	"last_run_at" timestamp with time zone,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "tasks_user_created_idx" ON "app"."tasks" USING btree ("user_id","created_at" DESC,"id" DESC) WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "app"."task_executions" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL REFERENCES "app"."tasks"("id"),
	"user_id" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"credits" integer DEFAULT 0 NOT NULL,
	"deliveries" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "task_executions_task_idx" ON "app"."task_executions" USING btree ("task_id","started_at" DESC,"id" DESC);
--> statement-breakpoint
CREATE INDEX "task_executions_user_idx" ON "app"."task_executions" USING btree ("user_id","started_at");
--> statement-breakpoint
CREATE TABLE "app"."inbox_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"task_id" uuid,
	"execution_id" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "inbox_messages_user_idx" ON "app"."inbox_messages" USING btree ("user_id","created_at" DESC,"id" DESC);
--> statement-breakpoint
CREATE TABLE "app"."subscriptions" (
	"user_id" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "app"."task_templates" ("id","name","description","category","task_type","default_config","config_schema","required_level","credits_per_run","asks_answer") VALUES
('drink-water','Drink water','A glass of water every 2 hours while you are awake.','hydration','reminder',
 '{"everyHours":2,"from":"08:00","to":"22:00","windowMinutes":30}',
 '{"type":"object","required":["everyHours","from","to"],"properties":{"everyHours":{"type":"integer","minimum":1,"maximum":12},"from":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"},"to":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"},"windowMinutes":{"type":"integer","minimum":1,"maximum":720}},"additionalProperties":false}',
 'free',1,true),
('meal-logging','Log your meal','A nudge to log a meal after your usual meal times.','nutrition','reminder',
 '{"times":["08:30","13:00","19:30"],"windowMinutes":60}',
 '{"type":"object","required":["times"],"properties":{"times":{"type":"array","minItems":1,"maxItems":6,"uniqueItems":true,"items":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"daysOfWeek":{"type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]}},"windowMinutes":{"type":"integer","minimum":1,"maximum":720}},"additionalProperties":false}',
 'free',1,true),
('evening-journal','Evening journal','A prompt to write a few lines in your journal each evening.','journaling','check_in',
 '{"times":["21:00"],"windowMinutes":120}',
 '{"type":"object","required":["times"],"properties":{"times":{"type":"array","minItems":1,"maxItems":6,"uniqueItems":true,"items":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"daysOfWeek":{"type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]}},"windowMinutes":{"type":"integer","minimum":1,"maximum":720}},"additionalProperties":false}',
 'free',1,true),
('weekly-weigh-in','Weekly weigh-in','Step on the scale once a week, same day, same time.','body','check_in',
 '{"times":["07:30"],"daysOfWeek":["monday"],"windowMinutes":180}',
 '{"type":"object","required":["times","daysOfWeek"],"properties":{"times":{"type":"array","minItems":1,"maxItems":1,"items":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"daysOfWeek":{"type":"array","minItems":1,"maxItems":1,"items":{"enum":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]}},"windowMinutes":{"type":"integer","minimum":1,"maximum":720}},"additionalProperties":false}',
 'plus',2,true),
('medication','Medication reminder','A reminder at the times you choose (required: times).','medication','reminder',
 '{"windowMinutes":60}',
 '{"type":"object","required":["times"],"properties":{"times":{"type":"array","minItems":1,"maxItems":6,"uniqueItems":true,"items":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"daysOfWeek":{"type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]}},"windowMinutes":{"type":"integer","minimum":1,"maximum":720}},"additionalProperties":false}',
 'plus',1,true),
('breathing','Breathing exercise','Two minutes of slow breathing, twice a day.','mindfulness','check_in',
 '{"times":["12:00","17:00"],"windowMinutes":30}',
 '{"type":"object","required":["times"],"properties":{"times":{"type":"array","minItems":1,"maxItems":6,"uniqueItems":true,"items":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"daysOfWeek":{"type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]}},"windowMinutes":{"type":"integer","minimum":1,"maximum":720}},"additionalProperties":false}',
 'pro',2,true);
