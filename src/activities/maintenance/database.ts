import { Context } from '@temporalio/activity';
import { summariseVacuumReport } from '../../domain/maintenance/report';
import type { TableVacuum, VacuumReport } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { checkpoint } from './pass';

/** VACUUM of one table is a single statement we cannot interrupt to heartbeat, so a timer does it meanwhile. */
const VACUUM_HEARTBEAT_MS = 10_000;

/** The database chore: VACUUM (ANALYZE) of the app tables. */
export function databaseActivities({ repo }: MaintenanceContext) {
  return {
    /**
     * VACUUM (ANALYZE) every app table with its stats before and after. Finished tables travel in the
     * heartbeat details, so a retry after a worker crash continues with the next table instead of redoing all.
     */
    async vacuumAppTables(): Promise<VacuumReport> {
      const ctx = Context.current();
      const previous = (ctx.info.heartbeatDetails as { done?: TableVacuum[] } | undefined)?.done;
      const done: TableVacuum[] = Array.isArray(previous) ? previous : [];
      const tables = await repo.appTables();
      for (const table of tables) {
        if (done.some((d) => d.table === table)) continue;
        checkpoint({ done });
        const before = await repo.tableStats(table);
        const started = Date.now();
        const timer = setInterval(() => ctx.heartbeat({ done, current: table }), VACUUM_HEARTBEAT_MS);
        try {
          await repo.vacuum(table);
        } finally {
          clearInterval(timer);
        }
        done.push({ table, before, after: await repo.tableStats(table), durationMs: Date.now() - started });
      }
      ctx.heartbeat({ done });
      // A table dropped since an earlier attempt is not reported.
      return summariseVacuumReport(done.filter((d) => tables.includes(d.table)));
    },
  };
}
