import type { temporal } from '@temporalio/proto';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import type { Harness } from './harness';

/**
 * The nominal times Temporal itself computes for a schedule in [from, to) (ISO instants): what the
 * schedule's calendar means in its zone, DST included, without waiting for it to fire.
 */
export async function matchingTimes(
  h: Pick<Harness, 'temporal' | 'config'>,
  scheduleId: string,
  from: string,
  to: string,
): Promise<string[]> {
  const res: temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse =
    await h.temporal.workflowService.listScheduleMatchingTimes({
      namespace: h.config.TEMPORAL_NAMESPACE,
      scheduleId,
      startTime: msToTs(Date.parse(from)),
      endTime: msToTs(Date.parse(to)),
    });
  return (res.startTime ?? []).map((t) => new Date(tsToMs(t)).toISOString());
}
