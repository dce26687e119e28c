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
