import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Content-addressed photo storage.
 *
 * Keys look like `sha256:<64 hex>.jpg`: the hash of the stored bytes plus an extension for the content
 * type. The same bytes always get the same key, so storing a photo twice (an upload retried after a
 * timeout, a Temporal activity retried after a crash) is free and harmless.
 *
 * Keys reach this module from workflow history and API input, so they are validated against one strict
 * pattern before they ever become a path: no `..`, no slashes, no absolute paths.
 */

export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ImageStoreHealth {
  status: 'HEALTHY' | 'UNHEALTHY';
  detail: string;
}

export interface ImageStore {
  /** Stores the bytes (if not already stored) and returns their key. */
  put(bytes: Buffer, contentType: ImageContentType): Promise<string>;
  /** The stored bytes, or undefined when there is no such photo. Throws `InvalidImageKey` for a malformed key. */
  get(key: string): Promise<Buffer | undefined>;
  has(key: string): Promise<boolean>;
  /** Returns true when something was deleted; deleting a missing photo is not an error. */
  delete(key: string): Promise<boolean>;
  /** Can we write here? Writes and removes a probe file. */
  check(): Promise<ImageStoreHealth>;
  /**
   * Every stored photo in key order with its file's modification time, resuming strictly after `after` when
   * given (so a long sweep can stop and continue). Temporary and foreign files are skipped.
   */
  list(opts?: { after?: string }): AsyncIterableIterator<StoredImage>;
}

export interface StoredImage {
  key: string;
  /** When the file was written: content addressing never rewrites a stored photo, so this is its age. */
  modifiedAt: Date;
}

export class InvalidImageKey extends Error {
  constructor() {
    // The key itself is not echoed: it is untrusted input and may be arbitrarily long.
    super('invalid image key');
    this.name = 'InvalidImageKey';
  }
}

/** Stored bytes no longer match their key: disk corruption or tampering. Never served as if valid. */
export class ImageCorrupted extends Error {
  constructor(readonly key: string) {
    super(`stored image ${key} does not match its hash`);
    this.name = 'ImageCorrupted';
  }
}

const EXTENSIONS: Record<ImageContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const CONTENT_TYPES: Record<string, ImageContentType> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const KEY_PATTERN = /^sha256:([0-9a-f]{64})\.(jpg|png|webp)$/;
/** Temporary files start with a dot so that they can never be mistaken for (or collide with) a stored photo. */
const TEMP_PREFIX = '.tmp-';

export function isImageKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The content type a key stands for (its extension), for serving the photo back. */
export function contentTypeOfKey(key: string): ImageContentType {
  const m = KEY_PATTERN.exec(key);
  if (!m) throw new InvalidImageKey();
  return CONTENT_TYPES[m[2]!]!;
}

export function createImageStore(dataDir: string): ImageStore {
  return new FsImageStore(path.join(path.resolve(dataDir), 'images'));
}

class FsImageStore implements ImageStore {
  constructor(private readonly root: string) {}

  /**
   * `<root>/ab/cd/<hex>.jpg`: two levels of 256 directories keep each directory small (ext4 and backup
   * tools slow down with hundreds of thousands of entries in one folder) even with millions of photos.
   */
  private pathFor(key: string): string {
    const m = KEY_PATTERN.exec(key);
    if (!m) throw new InvalidImageKey();
    const hex = m[1]!;
    const file = path.join(this.root, hex.slice(0, 2), hex.slice(2, 4), `${hex}.${m[2]}`);
    // The pattern already excludes traversal; this re-check guards against a future, looser pattern.
    if (!file.startsWith(this.root + path.sep)) throw new InvalidImageKey();
    return file;
  }

  async put(bytes: Buffer, contentType: ImageContentType): Promise<string> {
    const ext = EXTENSIONS[contentType];
    if (!ext) throw new Error(`unsupported content type for the image store: ${String(contentType).slice(0, 40)}`);
    if (bytes.length === 0) throw new Error('refusing to store an empty image');
    // The store hashes the bytes itself rather than trusting a caller-supplied hash.
    const key = `sha256:${sha256(bytes)}.${ext}`;
    const file = this.pathFor(key);
    if (await exists(file)) {
      // Idempotent: same bytes, same file, no rewrite. The timestamp is refreshed so the cleanup job's
      // abandoned-upload sweep (by age) cannot delete a photo someone has just uploaded again.
      const now = new Date();
      await fs.promises.utimes(file, now, now).catch(() => {});
      return key;
    }
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file, bytes);
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const file = this.pathFor(key);
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    // Photos are small (about 100-300 KB after processing), so verifying on every read is cheap, and
    // content addressing makes it possible: a corrupt file is reported instead of sent to a model.
    if (`sha256:${sha256(bytes)}.${path.extname(file).slice(1)}` !== key) throw new ImageCorrupted(key);
    return bytes;
  }

  async has(key: string): Promise<boolean> {
    return exists(this.pathFor(key));
  }

  async delete(key: string): Promise<boolean> {
    const file = this.pathFor(key);
    try {
      await fs.promises.unlink(file);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async *list(opts: { after?: string } = {}): AsyncIterableIterator<StoredImage> {
    const after = opts.after ? KEY_PATTERN.exec(opts.after) : null;
    if (opts.after && !after) throw new InvalidImageKey();
    // File names are `<hex>.<ext>` and keys `sha256:<hex>.<ext>`: sorting names sorts keys, and the two
    // directory levels are the hex's first four characters, so whole folders before `after` are skipped.
    const afterName = after ? `${after[1]}.${after[2]}` : '';
    const shard = /^[0-9a-f]{2}$/;
    for (const d1 of await sortedEntries(this.root)) {
      if (!shard.test(d1) || d1 < afterName.slice(0, 2)) continue;
      const dir1 = path.join(this.root, d1);
      for (const d2 of await sortedEntries(dir1)) {
        if (!shard.test(d2) || d1 + d2 < afterName.slice(0, 4)) continue;
        const dir2 = path.join(dir1, d2);
        for (const name of await sortedEntries(dir2)) {
          // Temporaries of an in-flight put (and anything else that is not a stored photo) are not ours to list.
          if (name.startsWith(TEMP_PREFIX) || name <= afterName) continue;
          const key = `sha256:${name}`;
          const m = KEY_PATTERN.exec(key);
          if (!m || !m[1]!.startsWith(d1 + d2)) continue;
          let stat: fs.Stats;
          try {
            stat = await fs.promises.stat(path.join(dir2, name));
          } catch (err) {
            if (isNotFound(err)) continue; // deleted while we walked
            throw err;
          }
          if (stat.isFile()) yield { key, modifiedAt: stat.mtime };
        }
      }
    }
  }

  async check(): Promise<ImageStoreHealth> {
    try {
      await fs.promises.mkdir(this.root, { recursive: true });
      const probe = path.join(this.root, `${TEMP_PREFIX}health-${randomBytes(6).toString('hex')}`);
      await fs.promises.writeFile(probe, 'ok');
      await fs.promises.unlink(probe);
      return { status: 'HEALTHY', detail: 'local image folder writable' };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      // Only the error code: the absolute path would disclose the host's layout in a public health answer.
      return { status: 'UNHEALTHY', detail: `local image folder not writable (${code})` };
    }
  }
}

/**
 * Write to a temporary file in the same directory, flush it, then rename over the final name. rename() is
 * atomic within a file system, so readers see either no file or the complete file, never a partial one,
 * even if the process dies mid-write. The fsync makes the data durable before the name points at it
 * (otherwise a power cut can leave a correctly named, empty file).
 */
async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const temp = path.join(path.dirname(file), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'wx', 0o640);
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Two concurrent puts of the same bytes both rename onto the same name; both contents are identical.
    await fs.promises.rename(temp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** A folder's entry names in byte order; a missing folder (nothing stored yet) is empty. */
async function sortedEntries(dir: string): Promise<string[]> {
  try {
    return (await fs.promises.readdir(dir)).sort();
  } catch (err) {
    if (isNotFound(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
