import { ApplicationFailure } from '@temporalio/activity';
import { createCrisisScreener } from '../adapters/crisis-screener';
import type { CrisisScreener } from '../domain/crisis/screen-entry';
import type { Logger } from '../logger';

export type ClosableScreener = CrisisScreener & { close(): Promise<void> };

/**
 * A process that does not poll `critical` never runs a screening step and does not load the encoder; should one
 * reach it anyway, it fails instead of screening with another model under the wrong version.
 */
export const SCREENER_NOT_LOADED: ClosableScreener = {
  version: 'no screener loaded in this worker',
  screen: () =>
    Promise.reject(
      ApplicationFailure.nonRetryable('this worker does not poll critical and has no screener', 'ScreenerNotLoaded'),
    ),
  close: async () => {},
};

/**
 * The one place a worker process's screener is chosen: where it polls `critical` (the screening and re-screening
 * steps run only there), CRISIS_ENCODER_DIR's fine-tuned encoder or, unset, the rules with the n-gram model,
 * loaded before the workers poll; elsewhere a screener that refuses. Its version is `crisisScreenerVersion`'s.
 */
export function workerScreener(opts: {
  queues: readonly string[];
  encoderDir: string | undefined;
  logger: Logger;
}): Promise<ClosableScreener> {
  return opts.queues.includes('critical') ? createCrisisScreener(opts) : Promise.resolve(SCREENER_NOT_LOADED);
}
