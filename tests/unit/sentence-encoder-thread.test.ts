import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSessionThread } from '../../src/adapters/sentence-encoder/session-client';

// The encoder's session thread as its caller sees it, with a thread that stops on cue (no model needed): runs
// in flight when it stops fail with a clear error, and the next run starts a new thread.
const STOPPING_THREAD = path.join(__dirname, '..', 'fixtures', 'sentence-encoder', 'stopping-thread.js');

describe('sentence encoder session thread', () => {
  it('fails the runs in flight when the thread stops, and the next run starts a new thread', async () => {
    const session = await startSessionThread('no-model', {}, STOPPING_THREAD);
    const [first] = await session.run([[1, 2, 3]]);
    expect(first).toHaveLength(384);
    expect(first![0]).toBe(3);

    await expect(session.run([[1, -1]])).rejects.toThrow(/thread stopped \(exit code 3\)/);

    const again = await session.run([[1], [1, 2]]);
    expect(again.map((e) => e[0])).toEqual([1, 2]);
    await session.close();
  });

  it('answers calls at once each with its own texts, in order', async () => {
    const session = await startSessionThread('no-model', {}, STOPPING_THREAD);
    const lengths = [1, 5, 2, 7];
    const results = await Promise.all(lengths.map((n) => session.run([Array.from({ length: n }, () => 1)])));
    expect(results.map(([e]) => e![0])).toEqual(lengths);
    await session.close();
  });
});
