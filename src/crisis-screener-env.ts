import { z } from 'zod';

/**
 * Zod fields src/config.ts spreads into its schema: which learned signal crisis screening uses
 * (src/adapters/crisis-screener.ts).
 */
export const crisisScreenerEnvShape = {
  /**
   * A folder written by `npx tsx scripts/crisis-model/train-encoder.ts` (the fine-tuned encoder's graph,
   * tokenizer, manifest and crisis-encoder.json). Set: screening's learned signal is the fine-tuned encoder
   * (docs/screening/round-8.md), and the screener version names it. Unset: the n-gram model in the repo.
   * The API and every worker polling `critical` must point at the same folder (the version names re-screens); a
   * relative path resolves against the process's working directory.
   */
  CRISIS_ENCODER_DIR: z.string().min(1).optional(),
};
