import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImageStore, type ImageStore, InvalidImageKey, type StoredImage } from '../../src/adapters/images/store';

let dataDir: string;
let store: ImageStore;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-list-'));
  store = createImageStore(dataDir);
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function all(opts?: { after?: string }): Promise<StoredImage[]> {
  const out: StoredImage[] = [];
  for await (const i of store.list(opts)) out.push(i);
  return out;
}

describe('image store list()', () => {
  it('is empty before anything was stored', async () => {
    expect(await all()).toEqual([]);
  });

  it('yields every stored photo in key order with its modification time, skipping temporaries and foreign files', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 12; i++)
      keys.push(await store.put(Buffer.from(`photo ${i}`), i % 3 === 0 ? 'image/png' : 'image/jpeg'));
    const hex = /^sha256:([0-9a-f]{64})\./.exec(keys[0]!)![1]!;
    const dir = path.join(dataDir, 'images', hex.slice(0, 2), hex.slice(2, 4));
    fs.writeFileSync(path.join(dir, '.tmp-0123456789abcdef'), 'half-written');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a photo');
    // A well-formed name in the wrong shard is not a stored key (get() would never find it there).
    fs.mkdirSync(path.join(dataDir, 'images', 'zz'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'images', 'zz', `${'0'.repeat(64)}.jpg`), 'misplaced');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(dir, `${hex}.${keys[0]!.split('.')[1]}`), old, old);

    const listed = await all();
    expect(listed.map((i) => i.key)).toEqual([...keys].sort());
    expect(listed.find((i) => i.key === keys[0])!.modifiedAt.toISOString()).toBe(old.toISOString());
    expect(listed.every((i) => i.modifiedAt instanceof Date)).toBe(true);
  });

  it('resumes strictly after a given key', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) keys.push(await store.put(Buffer.from(`resume ${i}`), 'image/webp'));
    keys.sort();
    expect((await all({ after: keys[7] })).map((i) => i.key)).toEqual(keys.slice(8));
    expect(await all({ after: keys[19] })).toEqual([]);
    // A key that is not stored still positions the walk.
    const before = `sha256:${'0'.repeat(64)}.jpg`;
    expect((await all({ after: before })).map((i) => i.key)).toEqual(keys);
    await expect(all({ after: '../../etc/passwd' })).rejects.toThrow(InvalidImageKey);
  });

  it('does not list a photo deleted before the walk reaches it', async () => {
    const a = await store.put(Buffer.from('a'), 'image/jpeg');
    const b = await store.put(Buffer.from('b'), 'image/jpeg');
    const seen: string[] = [];
    for await (const i of store.list()) {
      seen.push(i.key);
      await store.delete(i.key === a ? b : a);
    }
    expect(seen).toHaveLength(1);
  });
});
