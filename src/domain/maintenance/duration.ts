/**
 * Durations in the one form the configuration accepts for MEAL_INPUT_TIMEOUT (`^\d+(ms|s|m|h|d)$`, the
 * subset of Temporal's `ms` strings the meal workflow's timer is given). A tiny parser of our own rather than
 * the `ms` package: that one is only a transitive dependency here, and this file must stay pure (workflows
 * may import it).
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^(\d+)(ms|s|m|h|d)$/;

export class InvalidDuration extends Error {
  constructor(value: string) {
    super(
      `invalid duration ${JSON.stringify(value.slice(0, 40))}: expected digits and one of ms, s, m, h, d (e.g. 24h)`,
    );
    this.name = 'InvalidDuration';
  }
}

/** Milliseconds of a duration such as '24h', '15m', '7d' or '500ms'. Throws `InvalidDuration` otherwise. */
export function parseDurationMs(value: string): number {
  const m = PATTERN.exec(value.trim());
  if (!m) throw new InvalidDuration(value);
  const n = Number(m[1]);
  const ms = n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  // A duration beyond what a Date can represent is a configuration mistake, not a very long wait.
  if (!Number.isSafeInteger(ms)) throw new InvalidDuration(value);
  return ms;
}
