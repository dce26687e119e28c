import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ImageCorrupted,
  type ImageStore,
  InvalidImageKey,
  contentTypeOfKey,
  createImageStore,
  isImageKey,
} from '../../src/adapters/images/store';

let dataDir: string;
let store: ImageStore;
const bytes = Buffer.from('pretend these are the bytes of a processed JPEG');
const hex = createHash('sha256').update(bytes).digest('hex');

/** Every file under <dataDir>/images, relative. */
function filesOnDisk(): string[] {
  const root = path.join(dataDir, 'images');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(root, f)).isFile())
    .sort();
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-images-'));
  store = createImageStore(dataDir);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('filesystem image store', () => {
  it('puts under a content address in sharded folders and gets the same bytes back', async () => {
    const key = await store.put(bytes, 'image/jpeg');
    expect(key).toBe(`sha256:${hex}.jpg`);
    expect(filesOnDisk()).toEqual([path.join(hex.slice(0, 2), hex.slice(2, 4), `${hex}.jpg`)]);
    expect(await store.get(key)).toEqual(bytes);
    expect(await store.has(key)).toBe(true);
    expect(contentTypeOfKey(key)).toBe('image/jpeg');
  });

  it('keys carry the content type', async () => {
    expect(await store.put(bytes, 'image/png')).toBe(`sha256:${hex}.png`);
    expect(await store.put(bytes, 'image/webp')).toBe(`sha256:${hex}.webp`);
  });

  it('put is idempotent: same bytes, same key, file not rewritten (only its timestamp refreshed)', async () => {
    const key = await store.put(bytes, 'image/jpeg');
    const file = path.join(dataDir, 'images', filesOnDisk()[0]!);
    const before = fs.statSync(file);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.put(Buffer.from(bytes), 'image/jpeg')).toBe(key);
    const after = fs.statSync(file);
    expect(after.ino).toBe(before.ino);
    expect(after.size).toBe(before.size);
    // A re-upload counts as fresh for the abandoned-upload sweep.
    expect(after.mtimeMs).toBeGreaterThan(before.mtimeMs);
    expect(filesOnDisk()).toHaveLength(1);
  });

  it('concurrent puts of the same bytes agree and leave one file, no temporaries', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes, 'image/jpeg')));
    expect(new Set(keys).size).toBe(1);
    expect(filesOnDisk()).toHaveLength(1);
  });

  it('delete removes the photo; deleting again or a missing photo is not an error', async () => {
    const key = await store.put(bytes, 'image/jpeg');
    expect(await store.delete(key)).toBe(true);
    expect(await store.has(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.delete(key)).toBe(false);
    expect(await store.get(`sha256:${'0'.repeat(64)}.jpg`)).toBeUndefined();
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    `sha256:../../../${hex}.jpg`,
    `sha256:${hex}.jpg/../../x`,
    `sha256:${hex}.jpg\0`,
    `sha256:${hex.toUpperCase()}.jpg`,
    `sha256:${hex}.JPG`,
    `sha256:${hex}.exe`,
    `sha256:${hex}`,
    `sha256:${hex.slice(1)}.jpg`,
    `${hex}.jpg`,
    '',
  ])('rejects the key %j without touching the file system', async (key) => {
    expect(isImageKey(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidImageKey);
    await expect(store.has(key)).rejects.toBeInstanceOf(InvalidImageKey);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidImageKey);
    expect(() => contentTypeOfKey(key)).toThrow(InvalidImageKey);
  });

  it('writes atomically: a failed write leaves neither a partial photo nor a temporary file', async () => {
    vi.spyOn(fs.promises, 'rename').mockRejectedValueOnce(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    await expect(store.put(bytes, 'image/jpeg')).rejects.toThrow('disk full');
    expect(filesOnDisk()).toEqual([]);
    // and the next attempt succeeds
    const key = await store.put(bytes, 'image/jpeg');
    expect(await store.get(key)).toEqual(bytes);
    expect(filesOnDisk()).toHaveLength(1);
  });

  it('reports a stored file that no longer matches its hash instead of serving it', async () => {
    const key = await store.put(bytes, 'image/jpeg');
    fs.writeFileSync(path.join(dataDir, 'images', filesOnDisk()[0]!), 'tampered');
    await expect(store.get(key)).rejects.toBeInstanceOf(ImageCorrupted);
  });

  it('refuses empty bytes and content types it does not store', async () => {
    await expect(store.put(Buffer.alloc(0), 'image/jpeg')).rejects.toThrow(/empty/);
    await expect(store.put(bytes, 'image/gif' as never)).rejects.toThrow(/content type/);
  });

  it('check() is healthy when writable and leaves nothing behind', async () => {
    expect(await store.check()).toEqual({ status: 'HEALTHY', detail: 'local image folder writable' });
    expect(filesOnDisk()).toEqual([]);
  });

  it('check() is unhealthy, without disclosing the path, when the folder cannot be created', async () => {
    const blocked = path.join(dataDir, 'not-a-dir');
    fs.writeFileSync(blocked, 'a file where the data folder should be');
    const health = await createImageStore(blocked).check();
    expect(health.status).toBe('UNHEALTHY');
    expect(health.detail).not.toContain(dataDir);
  });
});
