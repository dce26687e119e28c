import { createHash } from 'node:crypto';
import type { Database, Db } from '../../db/client';
import { createIdempotencyRepository } from '../../db/repositories/idempotency';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import { AppError, outageError, RETRY_AFTER_SECONDS } from '../errors';

interface IdempotentStart {
  userId: string;
  idempotencyKey?: string;
  /** What makes two requests "the same": method, route and body. */
  request: unknown;
  resourceType: string;
  /** The new resource's id (used only when this request creates it). */
  resourceId: string;
  /** Stores the resource inside the transaction that claims the key. */
  insert(tx: Db): Promise<void>;
  /** `insert` is one statement: without a key to claim it runs alone, with no BEGIN/COMMIT round trips. */
  singleStatement?: boolean;
  /** Starts its workflow through `startWorkflow`, which already treats "already started" as started. */
  start(): Promise<unknown>;
  /** Removes what `insert` stored, when the workflow could not be started. */
  undo(): Promise<void>;
  /** For the 503 message: "The meal could not be queued…". */
  what: string;
}

/**
 * The one way a request creates a resource and starts its workflow: claim the Idempotency-Key and store the
 * resource in one transaction, then start the run. The same key with the same request returns the first
 * resource (replayed); with another request it is a 409. If Temporal refuses the start, the resource and
 * the key are removed again, so a failed request changes nothing and can simply be retried.
 */
export function createIdempotentStarter(database: Database, ttlHours: number, logger: Logger) {
  const keys = createIdempotencyRepository(database.db, ttlHours);

  const replayOf = (requestHash: string) => (rec: { requestHash: string; resourceId: string }) => {
    if (rec.requestHash !== requestHash)
      throw new AppError(
        'conflict',
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request body',
      );
    return { resourceId: rec.resourceId, replayed: true };
  };

  /**
   * Claims the key (when there is one) and stores the resource, in one transaction; false if the key was taken.
   * Without a key, a one-statement insert is atomic alone (a meal, a journal entry: the hot paths).
   */
  const claimAndInsert = async (s: IdempotentStart, requestHash: string) => {
    if (!s.idempotencyKey && s.singleStatement) {
      await s.insert(database.db);
      return true;
    }
    return database.db.transaction(async (tx) => {
      if (s.idempotencyKey) {
        const meta = { requestHash, resourceType: s.resourceType, resourceId: s.resourceId };
        if (!(await keys.claim(tx, s.userId, s.idempotencyKey, meta))) return false;
      }
      await s.insert(tx);
      return true;
    });
  };

  return async function startOnce(s: IdempotentStart): Promise<{ resourceId: string; replayed: boolean }> {
    const requestHash = createHash('sha256').update(JSON.stringify(s.request)).digest('hex');
    const replay = replayOf(requestHash);
    if (s.idempotencyKey) {
      const existing = await keys.find(s.userId, s.idempotencyKey);
      if (existing) return replay(existing);
    }
    if (!(await claimAndInsert(s, requestHash))) {
      // A concurrent request with the same key won the race: answer with its resource.
      const winner = await keys.find(s.userId, s.idempotencyKey!);
      if (winner) return replay(winner);
      throw new AppError('conflict', 'idempotency_in_progress', 'A request with this Idempotency-Key is in progress');
    }
    try {
      await s.start();
    } catch (err) {
      // Ids and the failure only (its class, code and redacted message: src/observability/redact.ts), never the
      // request body, which may hold health data.
      logger.warn(
        { resourceType: s.resourceType, resourceId: s.resourceId, err: logErr(err) },
        'workflow start failed; the stored resource is removed again',
      );
      await s.undo().catch(() => {});
      if (s.idempotencyKey) await keys.release(s.userId, s.idempotencyKey).catch(() => {});
      // Temporal down or past the call deadline: say so (temporal_unavailable); any other refusal keeps its code.
      const outage = outageError(err);
      throw new AppError(
        'unavailable',
        outage?.code ?? 'workflow_start_failed',
        `The ${s.what} could not be queued; nothing was stored. ${outage ? `${outage.message}.` : 'Please retry.'}`,
        outage?.details ?? null,
        503,
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    return { resourceId: s.resourceId, replayed: false };
  };
}
