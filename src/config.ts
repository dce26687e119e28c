import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { parseEncryptionKeys } from './secrets';
import { ALL_QUEUES, type QueueName } from './contracts/queues';
import { DEFAULT_SMTP_FROM, isEmailAddress, parseMailbox, splitAddressList } from './adapters/notify/addresses';
import { identityEnvProblem, identityEnvShape } from './identity-env';
import { signInEnvProblem, signInEnvShape } from './sign-in-env';
import { nodeHeapEnvShape } from './node-heap-env';
import { crisisScreenerEnvShape } from './crisis-screener-env';

/**
 * One validated view of the environment. Every variable the service reads is declared here (the
 * docker-compose test checks the compose file against `ENV_VARS`), and anything invalid stops start-up with
 * one message naming the variable.
 */

const port = z.coerce.number().int().min(1).max(65535);
const optionalUrl = z
  .string()
  .trim()
  .min(1)
  .refine((v) => URL.canParse(v), 'must be a URL')
  .optional();

/** A comma-separated list's non-empty items, trimmed (WELLFLOW_QUEUES, WELLFLOW_UI_ORIGIN). */
const commaList = (v: string) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const queues = z
  .string()
  .transform(commaList)
  .pipe(z.array(z.enum(ALL_QUEUES)).min(1, 'must name at least one queue'));

const emailList = z.string().transform((v, ctx) => {
  const list = splitAddressList(v);
  const bad = list.find((a) => !isEmailAddress(a));
  if (list.length === 0 || bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `must be comma-separated email addresses${bad === undefined ? '' : `: ${JSON.stringify(bad)} is not one`}`,
    });
    return z.NEVER;
  }
  return list;
});

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: optionalUrl.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    'must be a postgres:// URL',
  ),
  EMBEDDED_PG_PORT: port.default(54329),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
    .refine(
      (v) => Number(v.split(':')[1]) >= 1 && Number(v.split(':')[1]) <= 65535,
      'must have a port between 1 and 65535',
    )
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  WELLFLOW_DATA_DIR: z.string().min(1).default('./.wellflow'),
  WELLFLOW_QUEUES: queues.default([...ALL_QUEUES]),
  WELLFLOW_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  WELLFLOW_UI_ORIGIN: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WELLFLOW_ENCRYPTION_KEY: z.string().min(1).optional(),
  INFERENCE_URL: optionalUrl,
  /** Model name on the inference server (`/v2/models/{model}/infer`). */
  INFERENCE_MODEL: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be a model name (letters, digits, . _ -)')
    .default('food-classifier'),
  /** Per-call limit on the model server; keep it under the recognize step's 30 s startToCloseTimeout. */
  INFERENCE_TIMEOUT_MS: z.coerce.number().int().min(100).max(29_000).default(20_000),
  /** The trainer's HTTP job API (docs/model-retraining.md); unset: retraining runs fail at the submit step. */
  TRAINER_URL: optionalUrl,
  /** Seconds between training-status polls (60; seconds in tests): a training run takes hours. */
  TRAINER_POLL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Folder of the fixed evaluation set (labels.json + photos); unset: <data dir>/retraining/evaluation. */
  RETRAINING_EVAL_DIR: z.string().min(1).optional(),
  /** How much worse (absolute share, 0.02 = 2 points) a candidate may be on any metric and still pass the gate. */
  RETRAINING_GATE_MARGIN: z.coerce.number().min(0).max(1).default(0.02),
  /** Share of photo meals the candidate serves during its canary (0.1 = 10 %). */
  RETRAINING_CANARY_SHARE: z.coerce.number().gt(0).max(1).default(0.1),
  /** How long the canary is watched before promotion (Temporal duration). */
  RETRAINING_CANARY_WINDOW: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 30s, 15m, 24h or 7d')
    .default('24h'),
  /** Candidate meals needed before the canary's rates count (fewer at the end of the window: rolled back). */
  RETRAINING_CANARY_MIN_MEALS: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /** How long a candidate waits for an admin's approval before the run ends unpromoted (Temporal duration). */
  RETRAINING_APPROVAL_TIMEOUT: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 30s, 15m, 24h or 7d')
    .default('7d'),
  /** How long a photo-only meal waits in needs_input for the person's description (Temporal duration). */
  MEAL_INPUT_TIMEOUT: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 30s, 15m, 24h or 7d')
    .default('24h'),
  /** How long a snoozed task reminder waits before it comes back (seconds; 10 min, shorter in tests). */
  TASK_SNOOZE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  CRISIS_TIME_SCALE: z.coerce.number().positive().max(1000).default(1),
  /** JSON file overriding the per-tier crisis policy (deadlines, ladder, follow-ups); see README. */
  CRISIS_POLICY_FILE: z.string().min(1).optional(),
  /** Staff alerting webhook (HMAC-signed with CRISIS_WEBHOOK_SECRET); unset: log and NATS only. */
  CRISIS_WEBHOOK_URL: optionalUrl,
  CRISIS_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * The app's push gateway for routine reminders (HMAC-signed with REMINDER_WEBHOOK_SECRET, docs/routines.md):
   * it knows each person's devices. Unset: reminders reach the inbox (and NATS when NATS_URL is set) only.
   */
  REMINDER_WEBHOOK_URL: optionalUrl,
  REMINDER_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Base URL of this API as staff reach it: notifications link to <url>/v1/crisis/cases/<id>. */
  WELLFLOW_PUBLIC_URL: optionalUrl,
  NATS_URL: optionalUrl,
  /** Where the account service publishes user.deleted; a subject of the WELLFLOW stream (`wellflow.>`), no wildcards. */
  NATS_USER_DELETED_SUBJECT: z
    .string()
    .regex(
      /^wellflow(\.[A-Za-z0-9_-]+)+$/,
      'must be a subject under wellflow. (the WELLFLOW stream), without wildcards',
    )
    .default('wellflow.user.deleted'),
  /** SMTP relay for crisis alert emails (smtp://host:2525, smtps://user:pass@host:465); needs CRISIS_EMAIL_TO. */
  SMTP_URL: optionalUrl
    .refine((v) => v === undefined || /^smtps?:\/\//i.test(v), 'must be an smtp:// or smtps:// URL')
    .refine((v) => v === undefined || URL.canParse(v) === false || new URL(v).hostname !== '', 'must name a host'),
  /** Who receives crisis alert emails (comma-separated addresses); needs SMTP_URL. */
  CRISIS_EMAIL_TO: emailList.optional(),
  /** Sender of crisis alert emails: `Name <address>` or `address`. */
  SMTP_FROM: z
    .string()
    .trim()
    .refine((v) => parseMailbox(v) !== undefined, 'must be an email address or "Name <address>"')
    .default(DEFAULT_SMTP_FROM),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Idempotency records older than this are ignored (and removed by the cleanup job). */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().positive().default(24),
  /** Meal photos older than this are deleted by the retention job (the analysis and its totals stay). */
  RETENTION_IMAGE_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  /** Journal text older than this is deleted by the retention job (mood and screening tier stay). */
  RETENTION_JOURNAL_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
  /**
   * Crisis cases kept after their person's erasure are deleted this many days after the case closed
   * (docs/account-lifecycle.md, "Crisis cases"). 2922 days = 8 years: the NHS England records code's period for
   * adult health records (8 years after the end of care), pending the clinical lead's decision. At least a year:
   * a smaller value is taken for a unit mistake (years typed as days), and deleted clinical records cannot return.
   */
  RETENTION_CRISIS_CASE_DAYS: z.coerce.number().int().min(365).max(36_500).default(2922),
  /** A stored photo no meal refers to after this many hours is an abandoned upload; cleanup deletes it. */
  ORPHAN_UPLOAD_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  /** JSON file replacing the declared system schedules (see README, "Schedules"); unset: the built-in ones. */
  SCHEDULES_FILE: z.string().min(1).optional(),
  /** Shared rate-limit store for several API processes (redis://host:6379); unset: in-memory per process. */
  REDIS_URL: optionalUrl.refine(
    (v) => v === undefined || /^rediss?:\/\//.test(v),
    'must be a redis:// or rediss:// URL',
  ),
  /** Requests per minute per signed-in user (all routes), with RATE_LIMIT_BURST extra allowed at once. */
  RATE_LIMIT_USER_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Requests per minute per client IP (all routes, signed in or not). */
  RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(600),
  RATE_LIMIT_BURST: z.coerce.number().int().min(0).max(10_000).default(30),
  /** Trust X-Forwarded-For for the client IP (only behind a proxy that sets it). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Internal ops port of every API and worker process: /health, /ready, /health/detailed, /health/{check} and
   * (API) /metrics. 0: off. Not the public port: these show internals (docs/operations.md, "The ops port").
   */
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  /** Interface of the ops port: loopback by default; in a container, 0.0.0.0 on a network the public cannot reach. */
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Port of the worker's Prometheus endpoint (Temporal SDK metrics); 0: off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** OTLP/HTTP endpoint for traces (http://collector:4318); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Identity provider tokens (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_ROLE_CLAIM, AUTH_ROLE_MAP); see README. */
  ...identityEnvShape,
  /** Console sign-in with the identity provider (AUTH_CLIENT_ID, AUTH_CLIENT_SECRET); see docs/console.md. */
  ...signInEnvShape,
  ...nodeHeapEnvShape, // WELLFLOW_HEAP_GROWING_PERCENT: src/node-heap-env.ts
  ...crisisScreenerEnvShape, // CRISIS_ENCODER_DIR: src/crisis-screener-env.ts
});

export type Env = z.infer<typeof envSchema>;
export const ENV_VARS = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config extends Omit<Env, 'WELLFLOW_QUEUES'> {
  dataDir: string;
  queues: QueueName[];
  /** True when no TEMPORAL_ADDRESS is set: `wellflow dev` starts its own dev server. */
  startTemporal: boolean;
  /** True when no DATABASE_URL is set: `wellflow dev` starts an embedded PostgreSQL. */
  startPostgres: boolean;
  temporalAddress: string;
  uiOrigins: string[];
  publicUrl: string;
}

export { ConfigError };

/** Values of these variables are never echoed in an error message (secrets, or URLs that may carry credentials). */
const SECRET_VARS = new Set([
  'JWT_SECRET',
  'WELLFLOW_ENCRYPTION_KEY',
  'DATABASE_URL',
  'INFERENCE_URL',
  'TRAINER_URL',
  'NATS_URL',
  'CRISIS_WEBHOOK_URL',
  'CRISIS_WEBHOOK_SECRET',
  'REMINDER_WEBHOOK_URL',
  'REMINDER_WEBHOOK_SECRET',
  'SMTP_URL',
  'REDIS_URL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'AUTH_CLIENT_SECRET',
]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (docker-compose and .env files commonly write `FOO=`).
  const cleaned = Object.fromEntries(
    ENV_VARS.map((k) => [k, env[k] === '' ? undefined : env[k]]).filter(([, v]) => v !== undefined),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const got = SECRET_VARS.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${got}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    // Several processes on several hosts must share these: a per-host generated secret would split them.
    for (const name of ['JWT_SECRET', 'WELLFLOW_ENCRYPTION_KEY'] as const) {
      if (!e[name]) throw new ConfigError(`Invalid configuration: ${name} is required when NODE_ENV=production`);
    }
  }
  if (e.WELLFLOW_ENCRYPTION_KEY) parseEncryptionKeys(e.WELLFLOW_ENCRYPTION_KEY);
  if (e.CRISIS_WEBHOOK_URL && !e.CRISIS_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration: CRISIS_WEBHOOK_SECRET is required with CRISIS_WEBHOOK_URL (receivers verify the signature)',
    );
  }
  if (e.REMINDER_WEBHOOK_URL && !e.REMINDER_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration: REMINDER_WEBHOOK_SECRET is required with REMINDER_WEBHOOK_URL (the gateway verifies the signature)',
    );
  }
  // Email needs both halves: a relay and who to send to. Either one alone would silently send nothing.
  if (e.SMTP_URL && !e.CRISIS_EMAIL_TO) {
    throw new ConfigError(
      'Invalid configuration: CRISIS_EMAIL_TO is required with SMTP_URL (the addresses that receive crisis alerts)',
    );
  }
  if (e.CRISIS_EMAIL_TO && !e.SMTP_URL) {
    throw new ConfigError(
      'Invalid configuration: SMTP_URL is required with CRISIS_EMAIL_TO (the SMTP server that sends crisis alerts)',
    );
  }
  const identityProblem = identityEnvProblem(e);
  if (identityProblem) throw new ConfigError(`Invalid configuration: ${identityProblem}`);
  const signInProblem = signInEnvProblem(e);
  if (signInProblem) throw new ConfigError(`Invalid configuration: ${signInProblem}`);
  const { WELLFLOW_QUEUES, ...rest } = e;
  const uiOrigins = e.WELLFLOW_UI_ORIGIN
    ? commaList(e.WELLFLOW_UI_ORIGIN)
    : [`http://localhost:${e.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`];
  return {
    ...rest,
    dataDir: path.resolve(e.WELLFLOW_DATA_DIR),
    queues: WELLFLOW_QUEUES,
    startTemporal: !e.TEMPORAL_ADDRESS,
    startPostgres: !e.DATABASE_URL,
    temporalAddress: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
    uiOrigins,
    publicUrl: e.WELLFLOW_PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`,
  };
}
