import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { WORKFLOW_CONTRACTS } from '../../contracts';
import { QUEUES } from '../../contracts/queues';
import { SCHEDULABLE_WORKFLOWS } from '../workflow-registry';
import { declarationHash, type ScheduleDeclaration } from './declared';

/** Schedule memo marking what sync owns: it never touches schedules without it (per-person, hand-made). */
export const MANAGED_MEMO = { managedBy: 'wellflow-schedules-sync' } as const;
/** Workflow memo on the action carrying the declaration's hash (schedule memos cannot be updated). */
const HASH_KEY = 'wellflowDeclarationHash';

export interface SyncReport {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
}

function desiredOf(
  d: ScheduleDeclaration,
): Omit<ScheduleOptions<ScheduleOptionsStartWorkflowAction<Workflow>>, 'scheduleId' | 'memo' | 'state'> {
  return {
    spec: {
      ...(d.cron ? { cronExpressions: [d.cron] } : {}),
      ...(d.calendar
        ? {
            calendars: [
              {
                ...(d.calendar.dayOfWeek ? { dayOfWeek: d.calendar.dayOfWeek } : {}),
                hour: d.calendar.hour,
                minute: d.calendar.minute,
                comment: d.description,
              },
            ],
          }
        : {}),
      timezone: d.timezone,
      jitter: d.jitter as never,
    },
    action: {
      type: 'startWorkflow',
      workflowType: SCHEDULABLE_WORKFLOWS[d.workflowType]!,
      args: [d.args],
      // The workflow's own queue, from its contract.
      taskQueue: QUEUES[WORKFLOW_CONTRACTS.get(d.workflowType)!.taskQueue],
      // Temporal appends the nominal time: `maintenance-cleanup-2026-11-23T10:17:00Z`.
      workflowId: d.id,
      memo: { [HASH_KEY]: declarationHash(d) },
    },
    policies: {
      overlap: ScheduleOverlapPolicy[d.overlap],
      catchupWindow: d.catchupWindow as never,
      pauseOnFailure: false,
    },
  };
}

/**
 * Makes Temporal hold exactly the declared system schedules. Idempotent: a second run reports everything
 * unchanged. An operator's pause survives an update (the state is carried over), so a restart never
 * silently resumes a job someone stopped on purpose.
 */
export async function syncSchedules(client: Client, declared: ScheduleDeclaration[]): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], deleted: [], unchanged: [] };
  for (const d of declared) {
    const desired = desiredOf(d);
    const handle = client.schedule.getHandle(d.id);
    let current;
    try {
      current = await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    if (!current) {
      try {
        await client.schedule.create({ scheduleId: d.id, memo: { ...MANAGED_MEMO }, ...desired });
        report.created.push(d.id);
        continue;
      } catch (err) {
        // Another process synced at the same moment: fall through and compare with what it created.
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        current = await handle.describe();
      }
    }
    if (current.action.memo?.[HASH_KEY] === declarationHash(d)) {
      report.unchanged.push(d.id);
      continue;
    }
    await handle.update((prev) => ({
      ...desired,
      state: { paused: prev.state.paused, ...(prev.state.note ? { note: prev.state.note } : {}) },
    }));
    report.updated.push(d.id);
  }

  const wanted = new Set(declared.map((d) => d.id));
  for await (const summary of client.schedule.list()) {
    if (wanted.has(summary.scheduleId) || summary.memo?.managedBy !== MANAGED_MEMO.managedBy) continue;
    try {
      await client.schedule.getHandle(summary.scheduleId).delete();
      report.deleted.push(summary.scheduleId);
    } catch (err) {
      // The list is eventually consistent: a schedule deleted a moment ago may still be listed.
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  return report;
}
