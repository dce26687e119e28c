import { Context } from '@temporalio/activity';
import { type Client, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { accountErasureContract } from '../contracts/account-erasure';
import { crisisCaseContract } from '../contracts/crisis-case';
import { UserIdKey } from '../contracts/search-attributes';
import { taskScheduleId } from '../contracts/task-execution';
import type { AccountErasureRepository } from '../db/repositories/account-erasures';
import { ERASURE_SETTLE_MS, shouldCancelRun, visibilityLiteral } from '../domain/account/erasure';
import type { Logger } from '../logger';
import { deletePersonSchedule } from '../temporal/schedules/person';

/** Runs the erasure never cancels or deletes: itself, and the crisis case (kept for the clinical record). */
const KEPT_TYPES = [accountErasureContract.workflowType, crisisCaseContract.workflowType];

/** How often the cancel step looks again while runs are closing: visibility answers in milliseconds. */
const POLL_MS = 500;

/**
 * A run that has not closed this long after its cancel request is terminated. Why 2 min: every Wellflow run
 * handles cancellation within one non-cancellable close step (seconds); one still open after two minutes is
 * stuck (no worker for its queue, a bug), and erasure must not wait on it forever.
 */
const TERMINATE_AFTER_MS = 120_000;

/** Heartbeat details of the Temporal-facing steps: an exact tally that survives a retry on another worker. */
interface Tally {
  done: string[];
}

function resumeTally(): Tally {
  const d = Context.current().info.heartbeatDetails as Tally | undefined;
  return { done: Array.isArray(d?.done) ? [...d.done] : [] };
}

function beat(tally: Tally): void {
  const ctx = Context.current();
  ctx.heartbeat(tally);
  ctx.cancellationSignal.throwIfAborted();
}

/** gRPC status NOT_FOUND. */
const GRPC_NOT_FOUND = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The erasure's Temporal-facing steps (docs/account-lifecycle.md, Erasure): the person's runs are found by
 * their `UserId` search attribute, their schedules by id (the insight schedule by person, one per task).
 */
export function createErasureRunActivities(deps: {
  temporal: Client;
  erasures: AccountErasureRepository;
  logger: Logger;
}) {
  const { temporal, erasures } = deps;
  const log = deps.logger.child({ component: 'account-erasure' });

  async function listRuns(userId: string, running: boolean) {
    const query = `${UserIdKey.name} = ${visibilityLiteral(userId)} AND ExecutionStatus ${running ? '=' : '!='} 'Running'`;
    const out: { workflowId: string; runId: string }[] = [];
    for await (const w of temporal.workflow.list({ query })) {
      if (shouldCancelRun(w.type, KEPT_TYPES)) out.push({ workflowId: w.workflowId, runId: w.runId });
    }
    return out;
  }

  return {
    /**
     * Cancels every running run of the person (meals, batches, insights, tasks, journal screenings, exports)
     * and waits until none is left running, listing once more after the mark has settled
     * (ERASURE_SETTLE_MS), so a run an API process started just before it saw the mark is caught too.
     */
    async cancelPersonRuns(input: { userId: string }): Promise<{ cancelled: number }> {
      const mark = await erasures.get(input.userId);
      if (!mark) throw new Error('erasure step before the mark');
      const settledAt = mark.requestedAt.getTime() + ERASURE_SETTLE_MS;
      const tally = resumeTally();
      const askedAt = new Map<string, number>();
      for (;;) {
        const running = await listRuns(input.userId, true);
        const now = Date.now();
        if (running.length === 0 && now >= settledAt) break;
        for (const run of running) {
          const key = `${run.workflowId}/${run.runId}`;
          const handle = temporal.workflow.getHandle(run.workflowId, run.runId);
          try {
            if (!askedAt.has(key)) {
              await handle.cancel();
              askedAt.set(key, now);
              if (!tally.done.includes(key)) tally.done.push(key);
            } else if (now - askedAt.get(key)! > TERMINATE_AFTER_MS) {
              log.warn({ workflowId: run.workflowId }, 'run did not close after cancel; terminating');
              await handle.terminate('account erasure: did not close after cancellation');
            }
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        beat(tally);
        await sleep(POLL_MS);
      }
      await erasures.setCount(input.userId, 'runsCancelled', tally.done.length);
      await erasures.setRunsClosed(input.userId);
      return { cancelled: tally.done.length };
    },

    /** The person's insight schedule and every task's schedule (deleted tasks included); missing is fine. */
    async deletePersonSchedules(input: { userId: string }): Promise<{ schedules: number }> {
      const tally = resumeTally();
      if (await deletePersonSchedule(temporal, input.userId)) tally.done.push('insights');
      beat(tally);
      for (const taskId of await erasures.taskIds(input.userId)) {
        try {
          await temporal.schedule.getHandle(taskScheduleId(taskId)).delete();
          if (!tally.done.includes(taskId)) tally.done.push(taskId);
        } catch (err) {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        }
        beat(tally);
      }
      await erasures.setCount(input.userId, 'schedules', new Set(tally.done).size);
      return { schedules: new Set(tally.done).size };
    },

    /**
     * Deletes the person's closed executions (their histories: encrypted payloads and ids) through the
     * workflow service, except crisis cases (kept with the case). The namespace retention would drop them later.
     */
    async deletePersonHistories(input: { userId: string }): Promise<{ deleted: number }> {
      // A number, not a list of ids: a person may have thousands of closed runs (one per meal).
      const prior = Context.current().info.heartbeatDetails as { deleted?: number } | undefined;
      let deleted = typeof prior?.deleted === 'number' ? prior.deleted : 0;
      const namespace = temporal.options.namespace;
      for (const run of await listRuns(input.userId, false)) {
        try {
          await temporal.workflowService.deleteWorkflowExecution({
            namespace,
            workflowExecution: { workflowId: run.workflowId, runId: run.runId },
          });
          deleted += 1;
        } catch (err) {
          // NOT_FOUND: already deleted (a retry, or retention got there first).
          if ((err as { code?: number }).code !== GRPC_NOT_FOUND) throw err;
        }
        Context.current().heartbeat({ deleted });
        Context.current().cancellationSignal.throwIfAborted();
      }
      await erasures.setCount(input.userId, 'historiesDeleted', deleted);
      return { deleted };
    },
  };
}
