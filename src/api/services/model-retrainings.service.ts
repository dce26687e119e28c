import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  decideRetrainingUpdate,
  modelRetrainingProgressQuery,
  modelRetrainingWorkflowId,
  type ModelRetrainingResult,
} from '../../contracts/model-retraining';
import type { Database } from '../../db/client';
import { createModelRetrainingRepository, type RetrainingRow } from '../../db/repositories/model-retrainings';
import { createModelRoutingRepository } from '../../db/repositories/model-routing';
import { modelRetraining } from '../../workflows/model-retraining';
import {
  queryWithin,
  startWorkflow,
  TEMPORAL_UPDATE_DEADLINE_MS,
  withTemporalDeadline,
} from '../../temporal/workflow-client';
import { AppError, notFound } from '../errors';

/**
 * Model retraining for admins (docs/model-retraining.md): start a run, read its status and report, approve or
 * reject its candidate. One unfinished run at a time: the row is created before the run starts, and the
 * database refuses a second unfinished one.
 */
export function createModelRetrainingService(deps: { temporal: Client; database: Database; defaultModel: string }) {
  const runs = createModelRetrainingRepository(deps.database.db);
  const routing = createModelRoutingRepository(deps.database.db, deps.defaultModel);

  async function view(row: RetrainingRow) {
    const live = row.finishedAt ? undefined : await queryWithin(deps.temporal, row.id, modelRetrainingProgressQuery);
    const report = (row.report ?? live ?? { status: row.status }) as ModelRetrainingResult;
    const steps = await runs.steps(row.id);
    return {
      id: row.id,
      status: live?.status ?? row.status,
      requestedBy: row.requestedBy,
      startedAt: row.startedAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      labelled: row.labelledCount,
      trainingJobId: row.trainingJobId,
      candidate: row.candidateModel ? { model: row.candidateModel, version: row.candidateVersion } : null,
      evaluation: report.evaluation ?? null,
      reason: report.reason ?? null,
      decidedBy: row.decidedBy,
      steps: steps.map((s) => ({ step: s.step, at: s.at.toISOString(), detail: s.detail })),
    };
  }

  /**
   * An unfinished row whose run no longer runs (terminated by an operator, or its history reset) would block
   * every later run: it is finished as `failed` here, so the next start can proceed.
   */
  async function releaseAbandoned(): Promise<void> {
    const active = await runs.active();
    if (!active) return;
    const running = await withTemporalDeadline(deps.temporal, () =>
      deps.temporal.workflow.getHandle(active.id).describe(),
    ).then(
      (d) => d.status.name === 'RUNNING',
      (e: unknown) => (e instanceof WorkflowNotFoundError ? false : Promise.reject(e)),
    );
    if (!running)
      await runs.finish(active.id, 'failed', { status: 'failed', reason: 'the run ended without finishing' });
  }

  return {
    async start(requestedBy: string) {
      const id = modelRetrainingWorkflowId(randomUUID());
      await releaseAbandoned();
      const begun = await runs.begin(id, requestedBy);
      if ('blockedBy' in begun)
        throw new AppError('conflict', 'retraining_running', `Retraining ${begun.blockedBy} is still unfinished`, {
          id: begun.blockedBy,
        });
      try {
        await startWorkflow(deps.temporal, modelRetraining, {
          requestedBy,
          retrainingId: id.slice('model-retraining-'.length),
        });
      } catch (err) {
        // Never started: the row must not block the next run.
        await runs.finish(id, 'failed', { status: 'failed', reason: 'the run could not be started' });
        throw err;
      }
      return view((await runs.get(id))!);
    },

    async get(id: string) {
      const row = await runs.get(id);
      if (!row) throw notFound('model_retraining', id.slice(0, 80));
      return view(row);
    },

    async recent() {
      return { items: await Promise.all((await runs.recent(20)).map(view)), routing: await routing.get() };
    },

    /** The admin's decision through the run's Update; its validator refuses it unless the run awaits approval. */
    async decide(id: string, decision: 'approve' | 'reject', by: string) {
      const row = await runs.get(id);
      if (!row) throw notFound('model_retraining', id.slice(0, 80));
      if (row.finishedAt) throw new AppError('conflict', 'retraining_state', `The run is already ${row.status}`);
      try {
        await withTemporalDeadline(
          deps.temporal,
          () =>
            deps.temporal.workflow.getHandle(id).executeUpdate(decideRetrainingUpdate, { args: [{ decision, by }] }),
          TEMPORAL_UPDATE_DEADLINE_MS,
        );
      } catch (e) {
        if (e instanceof WorkflowUpdateFailedError)
          throw new AppError(
            'conflict',
            'retraining_state',
            (e.cause as Error | undefined)?.message ?? 'Not awaiting approval',
          );
        if (e instanceof WorkflowNotFoundError) throw notFound('model_retraining', id.slice(0, 80));
        throw e;
      }
      await runs.update(id, { decidedBy: by });
      return view((await runs.get(id))!);
    },
  };
}

export type ModelRetrainingService = ReturnType<typeof createModelRetrainingService>;
