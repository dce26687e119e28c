import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import { createProfileRepository } from '../../db/repositories/profiles';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import {
  deletePersonSchedule,
  describePersonSchedule,
  type PersonSchedule,
  personScheduleOf,
  upsertPersonSchedule,
} from '../../temporal/schedules/person';
import { withTemporalDeadline } from '../../temporal/workflow-client';
import { AppError, notFound, outageError } from '../errors';

/** A person's own weekly-insight schedule: a Temporal Schedule in their zone (see temporal/schedules/person.ts). */
export function createInsightScheduleService(deps: { database: Database; temporal: Client; logger: Logger }) {
  const profiles = createProfileRepository(deps.database.db);

  async function get(userId: string) {
    const d = await withTemporalDeadline(deps.temporal, () => describePersonSchedule(deps.temporal, userId));
    if (!d) throw notFound('insights_schedule');
    return { scheduleId: d.scheduleId, ...personScheduleOf(d) };
  }

  /** Creates or changes the schedule; says which, with the schedule as it now is. */
  async function put(userId: string, schedule: PersonSchedule) {
    let outcome: 'created' | 'updated';
    try {
      outcome = await withTemporalDeadline(deps.temporal, () => upsertPersonSchedule(deps.temporal, userId, schedule));
    } catch (e) {
      deps.logger.warn({ err: logErr(e), userId }, 'insight schedule could not be saved');
      const outage = outageError(e);
      if (outage) throw outage;
      throw new AppError('unavailable', 'schedule_failed', 'The schedule could not be saved. Please retry.');
    }
    // The fan-out computes this person's weeks in the same zone as their own schedule does.
    await profiles.setTimezone(userId, schedule.timezone);
    return { outcome, schedule: await get(userId) };
  }

  async function remove(userId: string): Promise<void> {
    if (!(await withTemporalDeadline(deps.temporal, () => deletePersonSchedule(deps.temporal, userId))))
      throw notFound('insights_schedule');
    await profiles.setTimezone(userId, null);
  }

  return { get, put, remove };
}

export type InsightScheduleService = ReturnType<typeof createInsightScheduleService>;
