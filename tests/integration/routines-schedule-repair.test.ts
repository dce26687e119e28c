import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskScheduleId } from '../../src/contracts/task-execution';
import { deleteTaskSchedule } from '../../src/temporal/schedules/tasks';
import { MAINTENANCE_WORKFLOWS } from '../../src/temporal/workflow-registry';
import { startWorkflow } from '../../src/temporal/workflow-client';
import { type Harness, startHarness } from '../support/harness';

/**
 * A task's create commits its row, then writes its Temporal Schedule. A process that dies in between left an
 * active task that never fired. The row now carries `schedule_pending_since` until the schedule is written: a
 * retried create (same Idempotency-Key) writes it at once, and the hourly cleanup writes any left behind.
 * The crash is reproduced exactly: the schedule removed and the row put back as the create left it.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const fromTemplate = (token: string, templateId: string, headers: Record<string, string> = {}) =>
  h.call('POST', '/v1/tasks/from-template', { token, headers, body: { templateId, config: {}, timezone: 'UTC' } });

const scheduleExists = (taskId: string) =>
  h.temporal.schedule
    .getHandle(taskScheduleId(taskId))
    .describe()
    .then(
      (d) => ({ paused: d.state.paused }),
      () => undefined,
    );

/** The state a create leaves when its process dies after the row's commit: no schedule, the mark, no next run. */
async function crashAfterRow(taskId: string, minutesAgo: number) {
  await deleteTaskSchedule(h.temporal, taskId);
  await h.database.sql`
    update app.tasks set schedule_pending_since = now() - make_interval(mins => ${minutesAgo}), next_run_at = null
    where id = ${taskId}`;
}

async function row(taskId: string) {
  const [r] = await h.database.sql`select schedule_pending_since, next_run_at from app.tasks where id = ${taskId}`;
  return r!;
}

describe('a task whose create died before its schedule was written', () => {
  it('a written schedule clears the mark; a retried create with the same key writes the missing schedule', async () => {
    const token = await h.token(h.newUser());
    const key = { 'Idempotency-Key': `repair-${randomUUID()}` };
    const first = await fromTemplate(token, 'drink-water', key);
    expect(first.status, first.text).toBe(201);
    expect((await row(first.json.id)).schedule_pending_since).toBeNull();

    await crashAfterRow(first.json.id, 0);
    expect(await scheduleExists(first.json.id)).toBeUndefined();
    const retried = await fromTemplate(token, 'drink-water', key);
    expect(retried.status).toBe(201);
    expect(retried.json.id).toBe(first.json.id);
    expect(await scheduleExists(first.json.id)).toEqual({ paused: false });
    expect(retried.json.nextRunAt).not.toBeNull();
    expect(await row(first.json.id)).toMatchObject({ schedule_pending_since: null });
  });

  it('the cleanup writes schedules left behind (paused and deleted meanwhile included) and leaves fresh marks alone', async () => {
    const token = await h.token(h.newUser());
    const ids: string[] = [];
    for (const t of ['drink-water', 'meal-logging', 'evening-journal'])
      ids.push((await fromTemplate(token, t)).json.id as string);
    const [lost, pausedLater, deletedLater] = ids as [string, string, string];
    for (const id of ids) await crashAfterRow(id, 30);
    // After the crash the person paused one task and deleted another: the repair writes what the row says now.
    await h.database.sql`update app.tasks set status = 'paused', paused_reason = 'user' where id = ${pausedLater}`;
    await h.database.sql`update app.tasks set status = 'deleted', deleted_at = now() where id = ${deletedLater}`;
    // A create still in flight (marked a moment ago) is not the repair's business.
    const inFlight = (await fromTemplate(token, 'drink-water')).json.id as string;
    await crashAfterRow(inFlight, 0);

    const handle = await startWorkflow(h.temporal, MAINTENANCE_WORKFLOWS.cleanup, { requestedBy: 'test' });
    const summary = (await handle.handle.result()) as { taskSchedules?: { found: number; written: number } };
    // At least these three: other files sharing the database may leave marks of creates they made fail.
    expect(summary.taskSchedules!.found).toBeGreaterThanOrEqual(3);
    expect(summary.taskSchedules!.written).toBe(summary.taskSchedules!.found);

    expect(await scheduleExists(lost)).toEqual({ paused: false });
    expect((await row(lost)).next_run_at).not.toBeNull();
    expect(await scheduleExists(pausedLater)).toEqual({ paused: true });
    expect(await scheduleExists(deletedLater)).toBeUndefined();
    for (const id of [lost, pausedLater, deletedLater]) expect((await row(id)).schedule_pending_since).toBeNull();
    expect(await scheduleExists(inFlight)).toBeUndefined();
    expect((await row(inFlight)).schedule_pending_since).not.toBeNull();
  });
});
