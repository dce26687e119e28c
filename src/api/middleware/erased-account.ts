import type { MiddlewareHandler } from 'hono';
import type { Database } from '../../db/client';
import { createAccountErasureRepository } from '../../db/repositories/account-erasures';
import { ERASED_CHECK_CACHE_MS } from '../../domain/account/erasure';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import { AppError } from '../errors';
import type { AppEnv } from '../types';

/**
 * How long the check waits for the database before letting the request through. Why 500 ms: the lookup is one
 * primary-key read (sub-millisecond); during a database outage every /v1 request would otherwise wait the
 * pool's full timeout here, including reads that need only Temporal. Failing open is safe enough: erasure
 * marks before it cancels, and its cancel step lists the person's runs again once the mark has settled.
 */
const LOOKUP_TIMEOUT_MS = 500;

/** People remembered per process. Why 10,000: an entry is ~100 bytes; this bounds the cache near 1 MB. */
const MAX_ENTRIES = 10_000;

/**
 * This process's view of who is erased, one per database (the guard and the erasure service share it, so the
 * process that wrote a mark refuses the person's next request at once). An erased mark never goes away, so
 * "erased" is cached for good; "not erased" for ERASED_CHECK_CACHE_MS, so a mark written by another process
 * reaches this one within that time.
 */
export interface ErasedAccounts {
  isErased(userId: string): Promise<boolean>;
  remember(userId: string): void;
}

const BY_DATABASE = new WeakMap<Database, ErasedAccounts>();

export function erasedAccounts(database: Database, logger: Logger): ErasedAccounts {
  const existing = BY_DATABASE.get(database);
  if (existing) return existing;
  const repo = createAccountErasureRepository(database.db);
  const cache = new Map<string, { erased: boolean; until: number }>();
  const put = (userId: string, erased: boolean) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(userId, { erased, until: erased ? Infinity : Date.now() + ERASED_CHECK_CACHE_MS });
  };
  const accounts: ErasedAccounts = {
    async isErased(userId) {
      const hit = cache.get(userId);
      if (hit && hit.until > Date.now()) return hit.erased;
      let timer: NodeJS.Timeout | undefined;
      try {
        const value = await Promise.race([
          repo.isErased(userId),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('erased check timed out')), LOOKUP_TIMEOUT_MS);
          }),
        ]);
        put(userId, value);
        return value;
      } catch (err) {
        logger.warn({ err: logErr(err) }, 'erased-account check unavailable; request let through');
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    remember: (userId) => put(userId, true),
  };
  BY_DATABASE.set(database, accounts);
  return accounts;
}

/** The answer to an erased person's request: 410 `account_erased`. */
export const accountErased = () =>
  new AppError('not_found', 'account_erased', 'This account has been erased', null, 410);

/** Refuses every /v1 request of an erased person with 410 `account_erased` (mounted after auth). */
export function erasedAccountGuard(accounts: ErasedAccounts): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const who = c.get('caller');
    if (who && (await accounts.isErased(who.sub))) {
      throw accountErased();
    }
    await next();
  };
}
