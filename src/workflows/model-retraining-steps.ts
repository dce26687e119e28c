import type { RetrainingDataActivities } from '../activities/model-retraining-data';
import type { RetrainingControlActivities } from '../activities/model-retraining';
import { MODEL_RETRAINING_STEPS } from '../contracts/model-retraining.policy';
import { proxiesFor } from './step-runner';

/** One proxy per retraining step, each with its own timeouts and retries from the policy table. */
export const retrainingActs = proxiesFor<
  RetrainingControlActivities & RetrainingDataActivities,
  keyof typeof MODEL_RETRAINING_STEPS
>(MODEL_RETRAINING_STEPS);
