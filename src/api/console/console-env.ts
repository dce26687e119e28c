import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import type { Logger } from '../../logger';
import type { HealthChecker } from '../../observability/health-checks';
import type { Secrets } from '../../secrets';
import type { Session } from '../identity/session';
import type { AppEnv } from '../types';

/** What the console's routes read: the app's variables plus the signed-in staff member. */
export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & { session: Session };
}

/** The parts of the API's dependencies the console uses. */
export interface ConsoleDeps {
  config: Config;
  logger: Logger;
  database: Database;
  temporal: Client;
  secrets: Secrets;
  health: HealthChecker;
  /** The screener version the workers run (the crisis service names re-screens with it). */
  screenerVersion: string;
}
