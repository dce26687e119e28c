import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { type CrisisPolicy, DEFAULT_CRISIS_POLICY } from './contracts/crisis-case.policy';
import { CASE_TIERS } from './domain/crisis/types';

const TierOverride = z
  .object({
    ackDeadlineMs: z
      .number()
      .int()
      .min(1_000, 'must be at least 1000 ms')
      .max(7 * 24 * 3_600_000),
    ladder: z.array(z.string().min(1).max(100)).min(1, 'needs at least one recipient').max(10),
    followUpsMs: z
      .array(
        z
          .number()
          .int()
          .min(1_000)
          .max(90 * 24 * 3_600_000),
      )
      .max(20),
  })
  .partial()
  .strict();
const PolicyFile = z.object(Object.fromEntries(CASE_TIERS.map((t) => [t, TierOverride.optional()]))).strict();

/**
 * The crisis policy in force: the defaults (crisis-case.policy.ts) with CRISIS_POLICY_FILE's values laid
 * over them per tier and field. A bad file stops start-up with one message, like any other setting.
 */
export function loadCrisisPolicy(file: string | undefined): CrisisPolicy {
  if (!file) return DEFAULT_CRISIS_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration: CRISIS_POLICY_FILE cannot be read as JSON (${(err as Error).message})`,
    );
  }
  const parsed = PolicyFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: CRISIS_POLICY_FILE ${i.path.join('.')}: ${i.message}`);
  }
  const out = { ...DEFAULT_CRISIS_POLICY };
  for (const tier of CASE_TIERS) out[tier] = { ...DEFAULT_CRISIS_POLICY[tier], ...(parsed.data[tier] ?? {}) };
  return out;
}
