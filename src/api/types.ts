import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { MiddlewareHandler } from 'hono';
import type { ImageStore } from '../adapters/images/store';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { HealthChecker } from '../observability/health-checks';
import type { Metrics } from '../observability/metrics';
import type { Tracing } from '../observability/tracing';
import type { Secrets } from '../secrets';
import type { Caller } from './auth';

/**
 * The API's shared types. A leaf: it imports from src/api only the caller's type (auth.ts, which imports
 * nothing of these back), so the app, the middleware and every resource can import it without a cycle.
 */

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the auth middleware on /v1 and /codec routes. */
    caller: Caller;
  };
}

export type App = OpenAPIHono<AppEnv>;

/** A handler typed by its route: its params, query, body and every response it may give come from the route. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** Per-IP and per-user request limits (src/api/middleware/rate-limit.ts). */
export interface RateLimiter {
  /** Mounted on every route before auth: counts each request against its client address. */
  perIp: MiddlewareHandler<AppEnv>;
  /** Mounted on /v1 after auth: counts each signed-in request against the caller auth found. */
  perUser: MiddlewareHandler<AppEnv>;
  /** Resolves true once the shared store is connected (at once in memory), false after `timeoutMs`. Optional: until then limits are per process. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

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
  /**
   * The screener version the workers run, which names re-screens: `crisisScreenerVersion(CRISIS_ENCODER_DIR)`,
   * read once by whoever builds the API (the n-gram screener's version when no encoder folder is configured).
   */
  screenerVersion: string;
}
