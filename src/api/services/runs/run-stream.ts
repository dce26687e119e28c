import type { Client } from '@temporalio/client';
import { withTemporalDeadline } from '../../../temporal/workflow-client';
import { type EventCursor, isAfter, type RunEvent, RunEventMapper } from './run-events';

/**
 * Follows one run until it closes: history by long poll (new events arrive as soon as Temporal records them),
 * cut short every `pollMs` to look at the pending activities for retries, which history does not record.
 */
export async function* followRun(
  client: Client,
  namespace: string,
  run: { workflowId: string; runId: string },
  stepOf: (activityType: string) => string,
  opts: { after?: EventCursor; aborted: () => boolean; pollMs?: number },
): AsyncGenerator<RunEvent> {
  const mapper = new RunEventMapper(run, stepOf);
  // Why 1 s: retries (and cancellation of a closed stream) are noticed within a second, at one cheap
  // describe per open stream per second while nothing else happens.
  const pollMs = opts.pollMs ?? 1_000;
  let token: Uint8Array | undefined;
  let seen = 0;
  const retried = new Map<string, number>();
  while (!opts.aborted()) {
    let events: NonNullable<
      Awaited<ReturnType<Client['workflowService']['getWorkflowExecutionHistory']>>['history']
    >['events'] = [];
    try {
      const res = await client.connection.withDeadline(Date.now() + pollMs, () =>
        client.workflowService.getWorkflowExecutionHistory({
          namespace,
          execution: run,
          nextPageToken: token,
          waitNewEvent: true,
          skipArchival: true,
        }),
      );
      events = res.history?.events ?? [];
      if (res.nextPageToken?.length) token = res.nextPageToken;
    } catch (err) {
      // DEADLINE_EXCEEDED (4) / CANCELLED (1): the long poll was cut short on purpose; anything else is real.
      const code = (err as { code?: number }).code;
      if (code !== 4 && code !== 1) throw err;
    }
    for (const e of events ?? []) {
      const id = Number(e.eventId ?? 0);
      if (id <= seen) continue; // a page served twice never produces an event twice
      seen = id;
      for (const ev of mapper.map(e)) if (isAfter(ev.id, opts.after)) yield ev;
    }
    if (mapper.finished) return;
    if (events?.length) continue;
    const desc = await withTemporalDeadline(client, () =>
      client.workflowService.describeWorkflowExecution({ namespace, execution: run }),
    );
    for (const p of desc.pendingActivities ?? []) {
      const ev = mapper.retry(p);
      const key = p.activityId ?? '';
      if (!ev || (retried.get(key) ?? 0) >= Number(p.attempt)) continue;
      retried.set(key, Number(p.attempt));
      if (isAfter(ev.id, opts.after)) yield ev;
    }
  }
}
