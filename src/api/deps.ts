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

export interface ApiDeps {
  config: Config;
  logger: Logger;
  database: Database;
  temporal: Client;
  secrets: Secrets;
  codec: PayloadCodec;
  health: HealthChecker;
  images: ImageStore;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    caller: Caller;
  };
}

export type App = OpenAPIHono<AppEnv>;
