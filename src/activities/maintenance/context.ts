import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { EventPublisher } from '../../adapters/events/publisher';
import type { ImageStore } from '../../adapters/images/store';
import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { createMaintenanceRepository } from '../../db/repositories/maintenance';
import type { Logger } from '../../logger';
import type { HealthChecker } from '../../observability/health-checks';

export interface MaintenanceActivityDeps {
  config: Config;
  database: Database;
  images: ImageStore;
  temporal: Client;
  events: EventPublisher;
  health: Pick<HealthChecker, 'runAll'>;
  logger: Logger;
}

/** What every group of maintenance activities works with: the deps, the repository and a per-call logger. */
export interface MaintenanceContext {
  deps: MaintenanceActivityDeps;
  repo: ReturnType<typeof createMaintenanceRepository>;
  /** A logger child carrying the current activity, attempt and run (call it inside an activity). */
  log(): Logger;
}

export function createMaintenanceContext(deps: MaintenanceActivityDeps): MaintenanceContext {
  const repo = createMaintenanceRepository(deps.database);
  const log = () => {
    const info = Context.current().info;
    return deps.logger.child({
      component: 'maintenance',
      activity: info.activityType,
      attempt: info.attempt,
      workflowId: info.workflowExecution?.workflowId,
      runId: info.workflowExecution?.runId,
    });
  };
  return { deps, repo, log };
}
