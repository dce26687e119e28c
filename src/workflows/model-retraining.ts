import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decideRetrainingUpdate,
  type ModelRetrainingInput,
  modelRetrainingProgressQuery,
  type ModelRetrainingResult,
  type RetrainingDecision,
  type RetrainingStatus,
} from '../contracts/model-retraining';
import { MODEL_RETRAINING_STEPS } from '../contracts/model-retraining.policy';
import { StatusKey } from '../contracts/search-attributes';
import { gateCandidate } from '../domain/models/evaluation';
import { runCanary } from './model-retraining-canary';
import { retrainingActs as acts } from './model-retraining-steps';
import { describeFailure, StepTracker } from './step-runner';

/** Temporal durations from configuration ('24h', '7d') in ms, for timers and the canary's check interval. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const toMs = (d: string) => {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : 0;
};

/**
 * One model retraining (docs/model-retraining.md): snapshot the labelled set → train (submit once, wait on the
 * heavy queue) → evaluate against the model in use → gate → an admin's approval (Update, with a timeout) →
 * canary → promote or roll back. Only ids, counts, rates and model versions travel; every step is recorded on
 * the run's row. A failure or a cancel rolls back any canary and ends the run with its reason.
 */
export async function modelRetraining(input: ModelRetrainingInput): Promise<ModelRetrainingResult> {
  const retrainingId = workflowInfo().workflowId;
  const tracker = new StepTracker(MODEL_RETRAINING_STEPS);
  let result: ModelRetrainingResult = { status: 'running' };
  let decision: RetrainingDecision | undefined;
  let jobId: string | undefined;
  let canaryStarted = false;
  setHandler(modelRetrainingProgressQuery, () => ({ ...result, steps: tracker.steps }));
  const setStatus = (status: RetrainingStatus, extra: Partial<ModelRetrainingResult> = {}) => {
    result = { ...result, ...extra, status };
    upsertSearchAttributes([{ key: StatusKey, value: status }]);
  };
  setHandler(
    decideRetrainingUpdate,
    (d) => {
      decision = d;
      return { status: result.status };
    },
    {
      validator: (d) => {
        if (result.status !== 'awaiting_approval')
          throw new Error(`the run is ${result.status}, not awaiting approval`);
        if (decision) throw new Error('the candidate has already been decided');
        if (d.decision !== 'approve' && d.decision !== 'reject') throw new Error('decision must be approve or reject');
        if (!d.by) throw new Error('a decision names the admin who made it');
      },
    },
  );
  const record = (key: string, step: string, detail: Record<string, unknown>) =>
    tracker.required('record', () => acts.record.recordRetrainingStep({ retrainingId, key, step, detail }));

  try {
    const settings = await tracker.required('begin', () =>
      acts.begin.beginRetraining({ retrainingId, requestedBy: input.requestedBy }),
    );
    const snap = await tracker.required('snapshot', () => acts.snapshot.snapshotLabelledSet({ retrainingId }));
    await record('snapshot', 'snapshot', { labelled: snap.labelled, evaluation: snap.evaluation });
    const submitted = await tracker.required('submit', () =>
      acts.submit.submitTrainingJob({ retrainingId, baseModel: settings.current.model }),
    );
    jobId = submitted.jobId;
    await record('submitted', 'training_submitted', { jobId });
    const candidate = await tracker.required('awaitTraining', () =>
      acts.awaitTraining.awaitTrainingJob({ retrainingId, jobId: submitted.jobId }),
    );
    jobId = undefined; // the job is over: nothing to cancel from here on
    result = { ...result, candidate };
    await record('trained', 'trained', { ...candidate });

    const scores = await tracker.required('evaluate', () =>
      acts.evaluate.evaluateCandidate({ retrainingId, current: settings.current, candidate }),
    );
    const gate = gateCandidate(scores.current, scores.candidate, settings.gateMargin);
    result = { ...result, evaluation: { ...scores, gate } };
    await record('gate', 'gate', { passed: gate.passed, reasons: gate.reasons, margin: settings.gateMargin });
    if (!gate.passed) return await finish('stopped_at_gate', `worse than the model in use: ${gate.reasons.join('; ')}`);

    setStatus('awaiting_approval');
    const decided = await condition(() => decision !== undefined, settings.approvalTimeout);
    if (!decided) {
      await record('approval', 'approval_timed_out', { timeout: settings.approvalTimeout });
      return await finish('approval_timed_out', `no decision within ${settings.approvalTimeout}`);
    }
    await record('approval', decision!.decision === 'approve' ? 'approved' : 'rejected', { by: decision!.by });
    if (decision!.decision === 'reject') return await finish('rejected', `rejected by ${decision!.by}`);

    setStatus('canary');
    canaryStarted = true;
    const outcome = await runCanary(tracker, record, {
      retrainingId,
      candidate,
      share: settings.canaryShare,
      windowMs: toMs(settings.canaryWindow),
      minMeals: settings.canaryMinMeals,
    });
    if (outcome.action === 'rollback') {
      await tracker.required('rollback', () => acts.rollback.rollbackModel({ retrainingId }));
      await record('rolled-back', 'rolled_back', { reason: outcome.reason });
      return await finish('rolled_back', outcome.reason);
    }
    await tracker.required('promote', () => acts.promote.promoteModel({ retrainingId, candidate }));
    await record('promoted', 'promoted', { ...candidate });
    return await finish('promoted');
  } catch (err) {
    const reason = isCancellation(err) ? 'cancelled by request' : describeFailure(err);
    // Clean-up must run even while the run is being cancelled: no candidate left serving, no job left training.
    await CancellationScope.nonCancellable(async () => {
      if (canaryStarted) await tracker.required('rollback', () => acts.rollback.rollbackModel({ retrainingId }));
      const job = jobId;
      if (job)
        await tracker.optional('cancelTraining', () =>
          acts.cancelTraining.cancelTrainingJob({ retrainingId, jobId: job }),
        );
      await finish(isCancellation(err) ? 'cancelled' : 'failed', reason);
    });
    throw isCancellation(err)
      ? err
      : ApplicationFailure.nonRetryable(`Model retraining failed: ${reason}`, 'ModelRetrainingFailed');
  }

  async function finish(status: RetrainingStatus, reason?: string): Promise<ModelRetrainingResult> {
    tracker.skipRemaining();
    setStatus(status, reason ? { reason } : {});
    await tracker.required('finish', () => acts.finish.finishRetraining({ retrainingId, result }));
    return result;
  }
}
