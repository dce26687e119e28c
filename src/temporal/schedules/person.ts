import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleDescription,
} from '@temporalio/client';
import {
  insightScheduleId,
  type InsightRunStatus,
  type WeeklyInsightInput,
  weeklyInsightContract,
} from '../../contracts/weekly-insight';
import { weeklyInsight } from '../../workflows/weekly-insight';
import { QUEUES } from '../../contracts/queues';
import { ownedBy } from '../../contracts/contract';
import type { Weekday } from '../../domain/weekdays';

export interface PersonSchedule {
  dayOfWeek: Weekday;
  /** HH:MM, 24-hour, local to `timezone`. */
  time: string;
  timezone: string;
}

/**
 * A person's weekly insight as a Temporal Schedule in their own zone: Temporal evaluates the calendar in
 * that zone, so "Monday 08:00 Europe/Berlin" stays 08:00 local when the clocks change. Each run covers the
 * last complete week before its nominal time.
 */
export async function upsertPersonSchedule(
  client: Client,
  userId: string,
  s: PersonSchedule,
): Promise<'created' | 'updated'> {
  const [hour, minute] = s.time.split(':').map(Number) as [number, number];
  const input: WeeklyInsightInput = { userId, timezone: s.timezone };
  const options = {
    spec: {
      calendars: [{ dayOfWeek: s.dayOfWeek.toUpperCase() as Uppercase<Weekday>, hour, minute }],
      timezone: s.timezone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: weeklyInsight,
      args: [input] as [WeeklyInsightInput],
      taskQueue: QUEUES[weeklyInsightContract.taskQueue],
      workflowId: insightScheduleId(userId),
      // Like an on-demand run: `running` until the run reports how it ended.
      typedSearchAttributes: ownedBy(userId, 'running' satisfies InsightRunStatus),
    },
    // SKIP: a person never has two of their insights computing at once. A day of catch-up: after an
    // outage the insight still arrives, late rather than never; older misses are dropped (the next week's is near).
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1d' as const },
  };
  const handle = client.schedule.getHandle(insightScheduleId(userId));
  try {
    await client.schedule.create({ scheduleId: insightScheduleId(userId), ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((prev) => ({ ...options, state: { paused: prev.state.paused } }));
  return 'updated';
}

/** False when the person had no schedule. */
export async function deletePersonSchedule(client: Client, userId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(insightScheduleId(userId)).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

export async function describePersonSchedule(client: Client, userId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(insightScheduleId(userId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

/** The person's settings back from a schedule's description (the schedule is the source of truth). */
export function personScheduleOf(d: ScheduleDescription): PersonSchedule & { nextRuns: string[]; paused: boolean } {
  const cal = d.spec.calendars?.[0];
  const day = (cal?.dayOfWeek?.[0]?.start ?? 'MONDAY').toLowerCase() as Weekday;
  const hour = cal?.hour?.[0]?.start ?? 0;
  const minute = cal?.minute?.[0]?.start ?? 0;
  return {
    dayOfWeek: day,
    time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    timezone: d.spec.timezone ?? 'UTC',
    paused: d.state.paused,
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
  };
}
