import type { Client } from '@temporalio/client';

/**
 * Where a fired timer's lateness goes, read from each run's history (bench/crisis-open-cases.ts): the first
 * timer of the run (the case's level-0 acknowledgement window).
 *   fired:     TimerFired's time minus the time the server was asked for (TimerStarted + startToFireTimeout):
 *              the history service's timer queue.
 *   scheduled: the workflow task scheduled after the fire, minus the fire (0 unless a task was in flight).
 *   picked:    that task's WorkflowTaskStarted minus its WorkflowTaskScheduled: waiting in matching for a
 *              worker's poll (a busy or starved worker), on the sticky queue if the run was still cached.
 */
export interface TimerAttribution {
  n: number;
  firedMs: number[];
  scheduledMs: number[];
  pickedMs: number[];
  /** Share of the wake-ups offered on the sticky queue of the worker that last ran the run (the server's view:
   * the worker may have evicted it since, and then replays it from history). */
  stickyShare: number;
}

type Ts = { seconds?: unknown; nanos?: number | null } | null | undefined;
const ms = (t: Ts) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

export async function timerAttribution(client: Client, workflowIds: string[], parallel = 8): Promise<TimerAttribution> {
  const out: TimerAttribution = { n: 0, firedMs: [], scheduledMs: [], pickedMs: [], stickyShare: 0 };
  let sticky = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < workflowIds.length) {
        const id = workflowIds[next++]!;
        const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
        const started = events.findIndex((e) => e.timerStartedEventAttributes);
        const fired = events.findIndex((e, i) => i > started && e.timerFiredEventAttributes);
        if (started < 0 || fired < 0) continue;
        const due =
          ms(events[started]!.eventTime) + ms(events[started]!.timerStartedEventAttributes!.startToFireTimeout);
        const firedAt = ms(events[fired]!.eventTime);
        const sched = events.findIndex((e, i) => i >= fired && e.workflowTaskScheduledEventAttributes);
        const pick = events.findIndex((e, i) => i > sched && e.workflowTaskStartedEventAttributes);
        if (sched < 0 || pick < 0) continue;
        const schedAt = ms(events[sched]!.eventTime);
        out.n++;
        out.firedMs.push(firedAt - due);
        out.scheduledMs.push(schedAt - firedAt);
        out.pickedMs.push(ms(events[pick]!.eventTime) - schedAt);
        // TaskQueueKind 2 = sticky: offered to the worker that ran the run's previous task.
        if (events[sched]!.workflowTaskScheduledEventAttributes!.taskQueue?.kind === 2) sticky++;
      }
    }),
  );
  out.stickyShare = out.n ? +(sticky / out.n).toFixed(2) : 0;
  return out;
}
