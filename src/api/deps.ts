import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { ImageStore } from '../adapters/images/store';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { Secrets } from '../secrets';
import type { Caller } from './auth';
import type { HealthChecker } from './health-checks';
import type { Metrics } from '../observability/metrics';
import type { RateLimiter } from './rate-limit';
import type { Tracing } from '../observability/tracing';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  database: Database;
  temporal: Client;
  secrets: Secrets;
  codec: PayloadCodec;
  health: HealthChecker;
  images: ImageStore;
  /** Prometheus registry behind GET /metrics (absent: no /metrics route). */
  metrics?: Metrics;
  /** Per-user and per-IP limits (absent: an in-memory limiter built from config). */
  rateLimiter?: RateLimiter;
  /** OpenTelemetry request spans when tracing is configured. */
  tracing?: Tracing;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    caller: Caller;
  };
}

export type App = OpenAPIHono<AppEnv>;
