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

  it('a thread that stops before its session opens is an error, not a wait', async () => {
    await expect(startSessionThread('stops-before-ready', {}, STOPPING_THREAD)).rejects.toThrow(
      /stopped before its session opened \(exit code 4\)/,
    );
  });

  it('closing twice is one close; a run after it is refused and starts no thread', async () => {
    const session = await startSessionThread('no-model', {}, STOPPING_THREAD);
    const inFlight = session.run([[1, 2]]);
    const first = session.close();
    expect(session.close()).toBe(first);
    await first;
    expect((await inFlight)[0]![0]).toBe(2);
    await expect(session.run([[1]])).rejects.toThrow(/closed/);
  });

  it('closing while a stopped thread is being replaced waits for the new one and closes it', async () => {
    const session = await startSessionThread('no-model', {}, STOPPING_THREAD);
    await expect(session.run([[-1]])).rejects.toThrow(/thread stopped/);
    // The run that starts the new thread either finishes before the close reaches it or is refused.
    const replacing = session.run([[1, 2, 3]]).then(
      ([e]) => e![0],
      (err: Error) => err.message,
    );
    await session.close();
    const outcome = await replacing;
    expect([3, 'sentence encoder is closed']).toContain(outcome);
    await expect(session.run([[1]])).rejects.toThrow(/closed/);
  });

  it('answers calls at once each with its own texts, in order', async () => {
    const session = await startSessionThread('no-model', {}, STOPPING_THREAD);
    const lengths = [1, 5, 2, 7];
    const results = await Promise.all(lengths.map((n) => session.run([Array.from({ length: n }, () => 1)])));
    expect(results.map(([e]) => e![0])).toEqual(lengths);
    await session.close();
  });
});
