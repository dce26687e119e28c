import type { EncryptionKey } from '../secrets';
import { seal } from './aes-gcm';
import {
  formatV2,
  needsRewrap,
  newDataKey,
  newDataKeyId,
  parseStoredText,
  unwrapDataKey,
  type WrappedDataKey,
  wrapDataKey,
} from './data-keys';
import { createTextCipher, openText } from './text-cipher';
import { UnreadableTextError } from './unreadable-text';

/** Where wrapped data keys live (src/db/repositories/journal-data-keys.ts). */
export interface DataKeyStore {
  get(userId: string): Promise<WrappedDataKey | undefined>;
  /** Stores the key unless the person already has one or is erased; never replaces a key. */
  insertIfAbsent(userId: string, key: WrappedDataKey): Promise<void>;
  /** Replaces the wrapping only while it is still `from` (a concurrent re-wrap or a destruction wins). */
  rewrap(userId: string, from: WrappedDataKey, to: WrappedDataKey): Promise<void>;
}

/** No data key could be had for a write: the person is erased (the store refuses new keys for them). */
export class DataKeyUnavailableError extends Error {
  override readonly name = 'DataKeyUnavailableError';
}

/**
 * How long an unwrapped data key stays in this process's memory. Why 30 s: long enough that a page of reads
 * (a re-screen or export page, a case view) costs one key lookup per person instead of one per row; short,
 * because a destroyed key must stop working in every process soon (erasure evicts it only in the process that
 * destroys it; other processes keep it at most this long, and by then the person's rows are gone and their
 * token is refused), and because a plaintext key in the heap is exposed to heap snapshots and core dumps.
 */
export const DATA_KEY_CACHE_MS = 30_000;
/** Keys cached per process. Why 1,000: 32 bytes each plus the map entry, well under 1 MB. */
const CACHE_MAX = 1_000;

/**
 * Journal text under each person's own data key (v2), reading v1 text (the deployment key ring) as before.
 * The data key is created on the person's first write, race-safe: every writer inserts its candidate with
 * "on conflict do nothing" and then uses whichever key the store holds, so concurrent first writes end with
 * one key. Decryption failures are UnreadableTextError; `key_destroyed` after an erasure.
 */
export function createPersonCipher(opts: {
  ring: EncryptionKey[];
  store: DataKeyStore;
  cacheMs?: number;
  now?: () => number;
}) {
  const { ring, store } = opts;
  const legacy = createTextCipher(ring);
  const ttl = opts.cacheMs ?? DATA_KEY_CACHE_MS;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { keyId: string; key: Buffer; until: number }>();

  function remember(userId: string, keyId: string, key: Buffer): void {
    if (ttl <= 0) return;
    cache.delete(userId);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(userId, { keyId, key, until: now() + ttl });
  }

  /** The person's current key, from the cache unless `fresh`; undefined when they have none. */
  async function load(userId: string, fresh = false): Promise<{ keyId: string; key: Buffer } | undefined> {
    const hit = cache.get(userId);
    if (hit && !fresh && hit.until > now()) return hit;
    cache.delete(userId);
    const wrapped = await store.get(userId);
    if (!wrapped) return undefined;
    const key = unwrapDataKey(ring, userId, wrapped);
    if (needsRewrap(ring, wrapped)) await store.rewrap(userId, wrapped, wrapDataKey(ring, userId, wrapped.keyId, key));
    remember(userId, wrapped.keyId, key);
    return { keyId: wrapped.keyId, key };
  }

  async function keyForWrite(userId: string): Promise<{ keyId: string; key: Buffer }> {
    const existing = await load(userId);
    if (existing) return existing;
    await store.insertIfAbsent(userId, wrapDataKey(ring, userId, newDataKeyId(), newDataKey()));
    const winner = await load(userId, true);
    if (!winner) throw new DataKeyUnavailableError('no data key can be created for this person (erased)');
    return winner;
  }

  async function decrypt(userId: string, stored: string, context: string): Promise<string> {
    const text = parseStoredText(stored);
    if (text.version === 'v1') return legacy.decrypt(stored, context);
    let current = await load(userId);
    // A cached key that differs from the text's may be stale: ask the store once before giving up.
    if (current && current.keyId !== text.keyId) current = await load(userId, true);
    if (!current || current.keyId !== text.keyId)
      throw new UnreadableTextError('key_destroyed', "the person's data key was destroyed: the text is unreadable");
    return openText(current.key, text.data, context);
  }

  /** `v2:<dataKeyId>:<base64>`, sealed under the person's data key with `context` (the record id) bound in. */
  async function encrypt(userId: string, text: string, context: string): Promise<string> {
    const { keyId, key } = await keyForWrite(userId);
    return formatV2(keyId, seal(key, Buffer.from(text, 'utf8'), Buffer.from(context, 'utf8')));
  }

  return {
    encrypt,
    decrypt,
    /** As decrypt, but null when the text was crypto-shredded (key destroyed); other failures still throw. */
    async decryptUnlessShredded(userId: string, stored: string, context: string): Promise<string | null> {
      try {
        return await decrypt(userId, stored, context);
      } catch (err) {
        if (err instanceof UnreadableTextError && err.reason === 'key_destroyed') return null;
        throw err;
      }
    },
    /**
     * Re-wraps the person's key under the active deployment key if it is under an older one (what any use of
     * the key does anyway); true when the person has a key.
     */
    async rewrap(userId: string): Promise<boolean> {
      return (await load(userId, true)) !== undefined;
    },
    /** v1 text as v2 under the person's key (created if needed), same context; v2 text is returned as is. */
    async reencrypt(userId: string, stored: string, context: string): Promise<string> {
      if (parseStoredText(stored).version !== 'v1') return stored;
      return encrypt(userId, legacy.decrypt(stored, context), context);
    },
    /** Drops the person's key from this process's cache (erasure, right after destroying it). */
    forget(userId: string): void {
      cache.delete(userId);
    },
  };
}

export type PersonCipher = ReturnType<typeof createPersonCipher>;
