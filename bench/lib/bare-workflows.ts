import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities';

// The bare arms of the meal benchmark (bench/meal-pipeline.ts): the same shape as a text meal with no
// Wellflow code (no interceptors, no codec, no step tracker): six steps, each one real INSERT.
const opts = { startToCloseTimeout: '15s' } as const;
const remote = proxyActivities<BareActivities>(opts);
const local = proxyLocalActivities<BareActivities>(opts);

/** load, estimate (local), feedback, record, publish, close: 5 regular activities and 1 local, as round 1. */
export async function bareRemote(id: string): Promise<void> {
  await remote.step(id, 1);
  await local.step(id, 2);
  for (let n = 3; n <= 6; n++) await remote.step(id, n);
}

/** The same six steps as local activities: one workflow task. */
export async function bareLocal(id: string): Promise<void> {
  for (let n = 1; n <= 6; n++) await local.step(id, n);
}

/** All six INSERTs in one local activity: the floor. */
export async function bareFloor(id: string): Promise<void> {
  await local.allSteps(id);
}
