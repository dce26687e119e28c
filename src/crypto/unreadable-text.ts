/**
 * Why a stored text cannot be read back. `key_destroyed` is the expected one after an erasure (the person's
 * data key is gone: crypto-shredding); the others mean a configuration or integrity problem.
 * - `key_destroyed`: the person's data key no longer exists (or was replaced), so the text is unreadable for good.
 * - `wrapping_key_unknown`: the deployment key that wrapped the data key (or sealed a v1 text) is not configured.
 * - `tampered`: the ciphertext or its context does not authenticate (changed, truncated, moved to another record).
 * - `malformed`: not a stored text of a known version.
 */
export type UnreadableReason = 'key_destroyed' | 'wrapping_key_unknown' | 'tampered' | 'malformed';

/** The typed failure of every at-rest text decryption; callers catch it instead of crashing on a bare Error. */
export class UnreadableTextError extends Error {
  override readonly name = 'UnreadableTextError';
  constructor(
    readonly reason: UnreadableReason,
    message: string,
  ) {
    super(message);
  }
}
