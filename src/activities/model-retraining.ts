import { ApplicationFailure, Context, sleep } from '@temporalio/activity';
import { type TrainerClient, TrainerError, type TrainedModel } from '../adapters/trainer';
import type { ModelRetrainingResult, ModelVersionRef } from '../contracts/model-retraining';
import type { ModelRoutingRepository } from '../db/repositories/model-routing';
import type { ModelRetrainingRepository } from '../db/repositories/model-retrainings';
import type { CanaryCounts } from '../domain/models/canary';
import type { Logger } from '../logger';

/** What a run reads once at its start (configuration), so every later decision in history uses the same values. */
export interface RetrainingSettings {
  /** The model in use when the run began: what the candidate is compared with. */
  current: ModelVersionRef;
  gateMargin: number;
  canaryShare: number;
  canaryWindow: string;
  canaryMinMeals: number;
  approvalTimeout: string;
}

export interface RetrainingControlDeps {
  retrainings: ModelRetrainingRepository;
  routing: ModelRoutingRepository;
  /** Absent when TRAINER_URL is not set. */
  trainer?: TrainerClient;
  pollSeconds: number;
  settings: Omit<RetrainingSettings, 'current'>;
  logger: Logger;
}

const trainerFailure = (err: unknown): unknown =>
  err instanceof TrainerError && !err.retryable ? ApplicationFailure.nonRetryable(err.message, 'TrainerRejected') : err;

/** The run's bookkeeping, the trainer calls and the canary's routing: thin, idempotent, keyed by the run's id. */
export function createRetrainingControlActivities(deps: RetrainingControlDeps) {
  const trainer = (): TrainerClient => {
    if (!deps.trainer) throw ApplicationFailure.nonRetryable('TRAINER_URL is not configured', 'TrainerNotConfigured');
    return deps.trainer;
  };
  const log = (retrainingId: string) =>
    deps.logger.child({ retrainingId, activity: Context.current().info.activityType });

  return {
    async beginRetraining(input: { retrainingId: string; requestedBy: string }): Promise<RetrainingSettings> {
      const begun = await deps.retrainings.begin(input.retrainingId, input.requestedBy);
      if ('blockedBy' in begun)
        throw ApplicationFailure.nonRetryable(
          `retraining ${begun.blockedBy} is still unfinished; one run at a time`,
          'RetrainingAlreadyRunning',
        );
      const routing = await deps.routing.get();
      return { current: routing.current, ...deps.settings };
    },

    async recordRetrainingStep(input: {
      retrainingId: string;
      key: string;
      step: string;
      detail: Record<string, unknown>;
    }): Promise<void> {
      await deps.retrainings.recordStep(input.retrainingId, input.key, input.step, input.detail);
    },

    /**
     * Submits the training job once: idempotent by the run's id on the trainer, and the job id is stored on the
     * row (first one wins), so a retry after a lost answer or a worker restart finds the same job.
     */
    async submitTrainingJob(input: { retrainingId: string; baseModel: string }): Promise<{ jobId: string }> {
      const row = await deps.retrainings.get(input.retrainingId);
      if (!row) throw ApplicationFailure.nonRetryable(`no retraining ${input.retrainingId}`, 'RetrainingNotFound');
      if (row.trainingJobId) return { jobId: row.trainingJobId };
      if (!row.manifestPath) throw ApplicationFailure.nonRetryable('the run has no manifest yet', 'RetrainingNotFound');
      const job = await trainer()
        .submit({ idempotencyKey: input.retrainingId, manifestPath: row.manifestPath, baseModel: input.baseModel })
        .catch((err: unknown) => {
          throw trainerFailure(err);
        });
      const jobId = await deps.retrainings.recordJob(input.retrainingId, job.jobId);
      log(input.retrainingId).info({ jobId }, 'training job submitted');
      return { jobId };
    },

    /**
     * Polls the recorded job every TRAINER_POLL_SECONDS until it ends, heartbeating after each poll (the
     * heartbeat is also how a cancel reaches this attempt: the job is then cancelled on the trainer). A failed
     * or cancelled job is final; the candidate is the job's result.
     */
    async awaitTrainingJob(input: { retrainingId: string; jobId: string }): Promise<TrainedModel> {
      const t = trainer();
      const ctx = Context.current();
      try {
        for (;;) {
          const job = await t.status(input.jobId).catch((err: unknown) => {
            throw trainerFailure(err);
          });
          ctx.heartbeat({ status: job.status, progress: job.progress });
          if (job.status === 'succeeded') {
            const result = await t.result(input.jobId).catch((err: unknown) => {
              throw trainerFailure(err);
            });
            await deps.retrainings.update(input.retrainingId, {
              candidateModel: result.model,
              candidateVersion: result.version,
            });
            return result;
          }
          if (job.status === 'failed' || job.status === 'cancelled')
            throw ApplicationFailure.nonRetryable(
              `training job ${job.status}${job.error ? `: ${job.error}` : ''}`,
              'TrainingFailed',
            );
          await sleep(deps.pollSeconds * 1000); // rejects with the cancellation when the run is cancelled
        }
      } catch (err) {
        if (ctx.cancellationSignal.aborted && ctx.cancellationDetails?.cancelRequested) {
          await t.cancel(input.jobId).catch(() => undefined); // best effort: the workflow's cancel step retries it
        }
        throw err;
      }
    },

    async cancelTrainingJob(input: { retrainingId: string; jobId: string }): Promise<void> {
      await trainer()
        .cancel(input.jobId)
        .catch((err: unknown) => {
          throw trainerFailure(err);
        });
      log(input.retrainingId).info({ jobId: input.jobId }, 'training job cancelled');
    },

    async startModelCanary(input: {
      retrainingId: string;
      candidate: ModelVersionRef;
      share: number;
    }): Promise<{ since: string }> {
      const started = await deps.routing.startCanary(input.retrainingId, input.candidate, input.share);
      if (!started) throw ApplicationFailure.nonRetryable("another run's candidate holds the canary", 'CanaryBusy');
      return { since: started.since.toISOString() };
    },

    async modelCanaryCounts(input: { since: string }): Promise<CanaryCounts> {
      return deps.routing.countsSince(new Date(input.since));
    },

    async promoteModel(input: { retrainingId: string; candidate: ModelVersionRef }): Promise<void> {
      await deps.routing.promote(input.retrainingId, input.candidate);
      log(input.retrainingId).info(
        { model: input.candidate.model, version: input.candidate.version },
        'model promoted',
      );
    },

    async rollbackModel(input: { retrainingId: string }): Promise<void> {
      await deps.routing.rollback(input.retrainingId);
      log(input.retrainingId).info('canary rolled back');
    },

    async finishRetraining(input: { retrainingId: string; result: ModelRetrainingResult }): Promise<void> {
      await deps.retrainings.finish(input.retrainingId, input.result.status, input.result);
    },
  };
}

export type RetrainingControlActivities = ReturnType<typeof createRetrainingControlActivities>;
