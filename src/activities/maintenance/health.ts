import { Context } from '@temporalio/activity';
import { publishDomainEvent } from '../../adapters/events/publisher';
import { buildDomainEvent, subjectFor } from '../../adapters/events/schema';
import { alertActionFor, healthReportOf } from '../../domain/maintenance/report';
import type { AlertAction, HealthReport, HealthStatus } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { currentRun } from './pass';

export const UNHEALTHY_SUBJECT = subjectFor('ops.unhealthy');

/** The health report chore: run the checks, and alert on an unhealthy or degraded service. */
export function healthActivities({ deps, log }: MaintenanceContext) {
  const { events } = deps;
  return {
    async runHealthReport(): Promise<HealthReport> {
      return healthReportOf(await deps.health.runAll());
    },

    /**
     * UNHEALTHY → an ops event (ids and statuses only) and an error log; DEGRADED → a warning log. A retry may
     * publish twice: the event carries the run id so subscribers can drop the duplicate.
     */
    async alertOnHealth(input: { status: HealthStatus; failing: string[] }): Promise<AlertAction> {
      const run = currentRun();
      const action = alertActionFor(input.status);
      const failing = input.failing.join(',');
      if (action === 'event') {
        log().error({ status: input.status, failing }, 'health report: service UNHEALTHY');
        // Fact key = the report's run: a retried alert is the same event (same id), which subscribers dedupe.
        const time = new Date(Context.current().info.scheduledTimestampMs).toISOString();
        await publishDomainEvent(
          events,
          buildDomainEvent(
            'ops.unhealthy',
            { runId: run.runId, status: 'UNHEALTHY', failing },
            { key: run.runId, time },
          ),
        );
      } else if (action === 'warn') {
        log().warn({ status: input.status, failing }, 'health report: service DEGRADED');
      }
      return action;
    },
  };
}
