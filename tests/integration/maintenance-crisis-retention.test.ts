import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaintenanceActivities } from '../../src/activities/maintenance';
import type { EventPublisher } from '../../src/adapters/events/publisher';
import { accountErasures, crisisCases, crisisEvents, maintenanceRuns } from '../../src/db/schema';
import type { RetentionSummary } from '../../src/domain/maintenance/types';
import { createLogger } from '../../src/logger';
import { type Harness, startHarness } from '../support/harness';

/**
 * The retention job's crisis case step (docs/account-lifecycle.md, "Crisis cases") on the real dev server and
 * database: cases kept after an erasure go once closed longer ago than RETENTION_CRISIS_CASE_DAYS, and nothing
 * else changes by a byte. Rows are seeded straight into the tables with this file's own user ids.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RETENTION_CRISIS_CASE_DAYS: '2922' } });
});
afterAll(async () => {
  await h?.stop();
});

const DAY = 86_400_000;
const PERIOD = 2922 * DAY;
const ago = (ms: number) => new Date(Date.now() - ms);

async function erased(userId: string, completed: boolean) {
  await h.database.db.insert(accountErasures).values({
    userId,
    workflowId: `erasure-${userId}`,
    trigger: 'admin',
    requestedAt: ago(PERIOD + 400 * DAY),
    completedAt: completed ? ago(PERIOD + 400 * DAY) : null,
    crisisCasesRetained: 1,
  });
}

/** A case with an escalation timeline: opened, a staff note (encrypted text), the erasure entry, closed. */
async function seedCase(
  userId: string,
  c: { status: string; openedAt: Date; closedAt?: Date; resolvedAt?: Date },
): Promise<string> {
  const id = randomUUID();
  await h.database.db.insert(crisisCases).values({
    id,
    userId,
    workflowId: `crisis-${userId}`,
    status: c.status,
    tier: 'high',
    level: 1,
    openedAt: c.openedAt,
    acknowledgedAt: c.openedAt,
    acknowledgedBy: 'staff-1',
    resolvedAt: c.resolvedAt ?? c.closedAt ?? null,
    outcome: c.closedAt || c.resolvedAt ? 'safe' : null,
    closedAt: c.closedAt ?? null,
  });
  const events = [
    { type: 'opened', actor: 'screening', data: { entryId: randomUUID(), tier: 'high' } },
    { type: 'note', actor: 'staff-1', data: { noteEncrypted: 'v1:test:ciphertext' } },
    { type: 'erasure_requested', actor: 'system', data: { trigger: 'admin' } },
  ];
  await h.database.db.insert(crisisEvents).values(
    events.map((e, seq) => ({
      id: randomUUID(),
      caseId: id,
      eventKey: `${id}:${e.type}`,
      seq,
      type: e.type,
      actor: e.actor,
      at: c.openedAt,
      data: e.data,
    })),
  );
  return id;
}

/** Every column of the cases and of their timelines, as PostgreSQL's own JSON text. */
async function snapshot(caseIds: string[]): Promise<string[]> {
  const rows = await h.database.sql<{ row: string }[]>`
    select row_to_json(c)::text as row from app.crisis_cases c where c.id in ${h.database.sql(caseIds)}
    union all
    select row_to_json(e)::text from app.crisis_events e where e.case_id in ${h.database.sql(caseIds)}
    order by 1`;
  return rows.map((r) => r.row);
}

async function runRetention(): Promise<{ result: RetentionSummary; runId: string; workflowId: string }> {
  const workflowId = `maintenanceRetention-test-${randomUUID()}`;
  const handle = await h.temporal.workflow.start('maintenanceRetention', {
    taskQueue: 'default',
    workflowId,
    args: [{ requestedBy: 'test' }],
  });
  return { result: (await handle.result()) as RetentionSummary, runId: handle.firstExecutionRunId, workflowId };
}

describe('maintenanceRetention: crisis cases kept after an erasure', () => {
  it('deletes closed cases of erased people past the period, page by page, and nothing else', async () => {
    // Three erased people with 121 expired cases between them: more than one page of 100.
    const erasedPeople = [h.newUser(), h.newUser(), h.newUser()];
    const expired: string[] = [];
    for (const [i, userId] of erasedPeople.entries()) {
      await erased(userId, true);
      for (let k = 0; k < 40 + (i === 2 ? 1 : 0); k++)
        expired.push(
          await seedCase(userId, { status: 'closed', openedAt: ago(PERIOD + 30 * DAY), closedAt: ago(PERIOD + DAY) }),
        );
    }
    const [alice] = erasedPeople as [string];
    const erasing = h.newUser(); // erasure asked for, not completed yet
    await erased(erasing, false);
    const neighbour = h.newUser(); // never erased
    const kept = [
      // Erased, closed, but inside the period (by a day).
      await seedCase(alice, { status: 'closed', openedAt: ago(PERIOD), closedAt: ago(PERIOD - DAY) }),
      // Erased, opened long ago and still being worked: acknowledged, or resolved with follow-ups to come.
      await seedCase(alice, { status: 'acknowledged', openedAt: ago(PERIOD + 60 * DAY) }),
      await seedCase(alice, { status: 'resolved', openedAt: ago(PERIOD + 60 * DAY), resolvedAt: ago(PERIOD + DAY) }),
      // Erasure not finished: its crisis step may still be writing to the case.
      await seedCase(erasing, { status: 'closed', openedAt: ago(PERIOD + 30 * DAY), closedAt: ago(PERIOD + DAY) }),
      // A person who was never erased: their case is the service's record, whatever its age.
      await seedCase(neighbour, { status: 'closed', openedAt: ago(PERIOD + 30 * DAY), closedAt: ago(PERIOD + DAY) }),
    ];
    const before = await snapshot(kept);
    expect(before).toHaveLength(kept.length * 4);

    const first = await runRetention();
    const s = first.result.crisisCases!;
    expect(s).toMatchObject({ deleted: expired.length, timelineEvents: expired.length * 3, complete: true });
    expect(s.passes).toBe(1); // one pass: the pages are batches inside it, with a heartbeat between them
    expect(Date.parse(s.cutoff)).toBeCloseTo(Date.parse(first.result.asOf) - PERIOD, -3);

    const left = await h.database.db.select().from(crisisCases).where(inArray(crisisCases.id, expired));
    expect(left).toEqual([]);
    const leftEvents = await h.database.db.select().from(crisisEvents).where(inArray(crisisEvents.caseId, expired));
    expect(leftEvents).toEqual([]);
    expect(await snapshot(kept)).toEqual(before);
    // The erasure receipts stay: they are the erased mark.
    const receipts = await h.database.db
      .select()
      .from(accountErasures)
      .where(inArray(accountErasures.userId, [...erasedPeople, erasing]));
    expect(receipts).toHaveLength(4);

    // The run record holds the summary (counts, cutoff), no ids of people or cases, and no leftover tally.
    const [record] = await h.database.db.select().from(maintenanceRuns).where(eq(maintenanceRuns.runId, first.runId));
    expect(record).toMatchObject({ job: 'retention', status: 'completed' });
    expect(record!.result).toEqual(first.result);
    const stored = JSON.stringify(record!.result);
    for (const id of [...erasedPeople, ...expired.slice(0, 5), ...kept]) expect(stored).not.toContain(id);
    expect(stored).not.toContain('crisisCaseRetention');

    const progress = await h.temporal.workflow
      .getHandle(first.workflowId)
      .query<{ steps: { name: string; status: string }[] }>('progress');
    expect(progress.steps.map((st) => [st.name, st.status])).toContainEqual(['crisisCases', 'completed']);

    // Idempotent: a second run finds nothing of these people and changes nothing.
    const second = await runRetention();
    expect(second.result.crisisCases).toMatchObject({ deleted: 0, timelineEvents: 0, complete: true });
    expect(await snapshot(kept)).toEqual(before);
    const still = await h.database.db
      .select({ id: crisisCases.id })
      .from(crisisCases)
      .where(inArray(crisisCases.id, kept));
    expect(still).toHaveLength(kept.length);
  });

  it('a pass retried after its deletes committed (its result lost) still reports the run’s exact counts', async () => {
    const userId = h.newUser();
    await erased(userId, true);
    const ids = [
      await seedCase(userId, { status: 'closed', openedAt: ago(PERIOD + 9 * DAY), closedAt: ago(PERIOD + 2 * DAY) }),
      await seedCase(userId, { status: 'closed', openedAt: ago(PERIOD + 9 * DAY), closedAt: ago(PERIOD + 3 * DAY) }),
    ];
    const run = { workflowId: `maintenanceRetention-retry-${randomUUID()}`, runId: randomUUID() };
    const acts = createMaintenanceActivities({
      config: h.config,
      database: h.database,
      images: h.images,
      temporal: h.temporal,
      events: {} as EventPublisher, // not used by the retention activities
      health: { runAll: async () => ({ status: 'HEALTHY', checks: {} as never }) },
      logger: createLogger('silent'),
    });
    // Two attempts of one activity in one run, as a worker gives them: the first one's result never arrives.
    const attempt = (n: number) =>
      asyncLocalStorage.run(
        {
          info: { activityType: 'expireRetainedCrisisCases', attempt: n, workflowExecution: run },
          heartbeat: () => {},
          cancellationSignal: new AbortController().signal,
        } as unknown as Context,
        () => acts.expireRetainedCrisisCases({ asOf: new Date().toISOString() }),
      );
    await asyncLocalStorage.run(
      { info: { activityType: 'startMaintenanceRun', attempt: 1, workflowExecution: run } } as unknown as Context,
      () => acts.startMaintenanceRun({ job: 'retention', requestedBy: 'test' }),
    );
    const first = await attempt(1);
    expect(first).toMatchObject({ done: true, recordedForRun: 2, recorded: { timelineEvents: 6 } });
    const retried = await attempt(2);
    expect(retried).toMatchObject({ done: true, recordedForRun: 2, recorded: { timelineEvents: 6 } });
    expect(await h.database.db.select().from(crisisCases).where(inArray(crisisCases.id, ids))).toEqual([]);
  });
});
