import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';

// bench/hop-latency.ts: one no-op activity called `hops` times in a row, regular or local. No Wellflow code.
const remote = proxyActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '10s' });
const local = proxyLocalActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '10s' });

export async function hops(n: number, kind: 'remote' | 'local'): Promise<void> {
  const acts = kind === 'remote' ? remote : local;
  for (let i = 0; i < n; i++) await acts.noop(i);
}

/** bench/timer-burst.ts: sleeps until `dueAt` (epoch ms); returns the workflow time of the task that woke it. */
export async function sleeper(dueAt: number): Promise<number> {
  await sleep(Math.max(1, dueAt - Date.now()));
  return Date.now();
}

/**
 * bench/la-stale-timer.ts: one local activity (3 s start-to-close) whose first attempt fails at once, so sdk-core
 * starts a second attempt with a new start-to-close timer while the first attempt's timer keeps running.
 */
const flaky = proxyLocalActivities<{ flaky(failFirst: boolean): Promise<void> }>({
  startToCloseTimeout: '3s',
  // 100 ms: the retry follows at once, well inside the first attempt's 3 s timer.
  retry: { initialInterval: '100ms', maximumAttempts: 3 },
});

export async function localRetry(failFirst: boolean): Promise<void> {
  await flaky.flaky(failFirst);
}
