import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rescreenProgressQuery, rescreenWorkflowId } from '../../src/contracts/journal-rescreen';
import { SCREENER_VERSION } from '../../src/domain/crisis/screen-entry';
import { TIERS, type Tier } from '../../src/domain/crisis/types';
import { queryWithin, startWorkflow } from '../../src/temporal/workflow-client';
import { journalRescreen } from '../../src/workflows';
import { type Harness, eventually, startHarness } from '../support/harness';
import { DAYS, rescreenEntries } from '../support/rescreen-entries';

/**
 * Re-screening when the screener changes, on a real dev server and database. Entries are written through the
 * API; some are then rewritten in the database as if an older screener had scored them `none`; a staff member
 * starts a re-screen through the API and the run re-screens exactly the entries not at the current version. The
 * tests run in order, each on what the one before left.
 *
 * The database is shared by every integration file of a test run, and other files' harnesses had other
 * encryption keys: their stale entries (if any) cannot be opened with this harness's key and count as
 * `failed`. Expectations are therefore computed from the database at start time, not assumed to be zero.
 */
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
const BENIGN_TEXT = 'Lovely walk by the river with my sister, then pasta and a film.';
const BENIGN_TEXT_2 = 'Went for a long walk by the river; the weather was lovely.';
const OLD_VERSION = 'crisis-rules-0.9.0+none';
/** Fragments of every text written here: none may appear in a decoded history payload or a log line. */
const TEXT_FRAGMENTS = [/kill myself/i, /wrote a note/i, /pasta/i, /river/i];

let h: Harness;
const { staff, write, row, screened, setScreening, stale, finished, decodedPayloads } = rescreenEntries(() => h);
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const oldScreening = { tier: 'none', rules: [], spans: [], ruleVersion: 'crisis-rules-0.9.0', thirdParty: false };

const rank = (t: string | null | undefined) => TIERS.indexOf((t ?? 'none') as Tier);

describe('journal re-screen when the screener changes', () => {
  const ids: Record<'current' | 'currentRisky' | 'risky' | 'benign' | 'never' | 'outside', string> = {} as never;
  let userOld: string; // entries at the current version
  let userNew: string; // entries an "older screener" scored none
  const before: Record<string, Awaited<ReturnType<typeof row>>> = {};
  let expected: Awaited<ReturnType<typeof stale>>;
  let workflowId: string;
  let firstRunId: string;

  it('refuses people without a staff role before it reads the body', async () => {
    const user = await h.token(h.newUser());
    for (const body of [{ days: 7 }, { days: 0 }, 'not json']) {
      const res = await h.call('POST', '/v1/crisis/rescreens', { token: user, body });
      expect(res.status).toBe(403);
      expect(res.json.error.category).toBe('authorization');
    }
    expect((await h.call('POST', '/v1/crisis/rescreens', { body: { days: 7 } })).status).toBe(401);
    for (const days of [0, 91, 2.5, '7']) {
      const res = await h.call('POST', '/v1/crisis/rescreens', { token: await staff(), body: { days } });
      expect(res.status, `days ${String(days)}`).toBe(422);
    }
    expect(
      (await h.call('POST', '/v1/crisis/rescreens', { token: await staff(), body: { days: 7, extra: 1 } })).status,
    ).toBe(422);
  });

  it('sets the scene: entries at the current version, and entries an older screener missed', async () => {
    // Screened by the current screener through the normal path (the risky one opens a case as usual).
    userOld = h.newUser();
    const tokenOld = await h.token(userOld);
    ids.current = (await write(tokenOld, BENIGN_TEXT)).entryId;
    ids.currentRisky = (await write(tokenOld, HIGH_TEXT)).entryId;
    await screened(ids.current);
    await screened(ids.currentRisky);
    expect((await row(ids.currentRisky)).screening).toMatchObject({ tier: 'high', screenerVersion: SCREENER_VERSION });

    // Written while no worker runs, their screening runs ended unscreened: then "scored by an older screener".
    userNew = h.newUser();
    const tokenNew = await h.token(userNew);
    await h.stopWorkers();
    const written = [];
    for (const text of [HIGH_TEXT, BENIGN_TEXT, BENIGN_TEXT_2, HIGH_TEXT]) written.push(await write(tokenNew, text));
    for (const w of written) await h.temporal.workflow.getHandle(w.workflowId).terminate('test: older screener');
    await h.startWorkers();
    [ids.risky, ids.benign, ids.never, ids.outside] = written.map((w) => w.entryId) as [string, string, string, string];
    await setScreening(ids.risky, { ...oldScreening, screenerVersion: OLD_VERSION });
    await setScreening(ids.benign, { ...oldScreening, screenerVersion: OLD_VERSION });
    // ids.never keeps no screening at all (NULL counts as "not at this version").
    await setScreening(ids.outside, { ...oldScreening, screenerVersion: OLD_VERSION });
    await h.database.db.execute(
      sql`update app.journal_entries set created_at = now() - interval '10 days' where id = ${ids.outside}`,
    );
    for (const id of Object.values(ids)) before[id] = await row(id);
    expect(before[ids.never]!.screening).toBeNull();
    const caseRows = await h.database.db.execute(
      sql`select count(*)::int as n from app.crisis_cases where user_id = ${userNew}`,
    );
    expect(caseRows[0]).toEqual({ n: 0 });
  });

  it('a staff member starts a re-screen: only entries not at the current version are screened, the missed one opens a case', async () => {
    expected = await stale();
    expect(expected.readable).toBeGreaterThanOrEqual(3);
    const runStartedAt = new Date();
    const started = await h.call('POST', '/v1/crisis/rescreens', { token: await staff(), body: { days: DAYS } });
    expect(started.status).toBe(202);
    expect(started.json).toEqual({
      workflowId: rescreenWorkflowId(SCREENER_VERSION),
      screenerVersion: SCREENER_VERSION,
      alreadyRunning: false,
    });
    workflowId = started.json.workflowId;
    const run = await finished(workflowId);
    firstRunId = run.runId;
    expect(run).toMatchObject({ type: 'journalRescreen', businessStatus: 'completed' });
    expect(run.userId).toBeUndefined();
    expect(run.result).toMatchObject({
      screenerVersion: SCREENER_VERSION,
      days: DAYS,
      requestedBy: 'nurse-1',
      screened: expected.readable,
      failed: expected.unreadable,
    });
    expect(run.result.pages).toBeGreaterThanOrEqual(1);
    expect(run.result.raised).toBeGreaterThanOrEqual(1);
    expect(run.result.casesOpened).toBe(run.result.raised);

    // Entries at the current version were skipped: not written again.
    for (const id of [ids.current, ids.currentRisky]) expect(await row(id)).toEqual(before[id]);
    // Outside the window: untouched.
    expect(await row(ids.outside)).toEqual(before[ids.outside]);

    const risky = (await row(ids.risky)).screening;
    expect(risky).toMatchObject({
      tier: 'high',
      screenerVersion: SCREENER_VERSION,
      previous: { tier: 'none', screenerVersion: OLD_VERSION },
    });
    expect(risky.rules.length).toBeGreaterThan(0);
    expect((await row(ids.benign)).screening).toMatchObject({
      tier: 'none',
      screenerVersion: SCREENER_VERSION,
      previous: { tier: 'none', screenerVersion: OLD_VERSION },
    });
    expect((await row(ids.never)).screening).toMatchObject({
      tier: 'none',
      screenerVersion: SCREENER_VERSION,
      previous: { tier: null, screenerVersion: null },
    });

    // The raised count is exactly the entries stored above their previous tier by this run (entries other
    // files re-screened earlier in the shared database also carry `previous`: only this run's writes count).
    const rescreened = (await h.database.db.execute(
      sql`select screening from app.journal_entries
          where screening ? 'previous' and screened_at >= ${runStartedAt.toISOString()}::timestamptz`,
    )) as unknown as { screening: any }[];
    expect(rescreened).toHaveLength(expected.readable);
    expect(
      rescreened.filter((r) => r.screening.tier !== 'none' && rank(r.screening.tier) > rank(r.screening.previous.tier))
        .length,
    ).toBe(run.result.raised);

    // The missed entry opened the person's case, which runs its ladder as for any flagged entry.
    const caseRow = await eventually(async () => {
      const rows = await h.database.db.execute(
        sql`select id, tier, workflow_id from app.crisis_cases where user_id = ${userNew}`,
      );
      return rows[0] as { id: string; tier: string; workflow_id: string } | undefined;
    });
    expect(caseRow).toMatchObject({ tier: 'high', workflow_id: `crisis-${userNew}` });
    const desc = await h.temporal.workflow.getHandle(`crisis-${userNew}`).describe();
    expect(desc.status.name).toBe('RUNNING');
    const detail = await eventually(async () => {
      const d = (await h.call('GET', `/v1/crisis/cases/${caseRow.id}`, { token: await staff() })).json;
      return d.timeline.some((e: any) => e.type === 'notified') ? d : undefined;
    });
    expect(detail.timeline[0]).toMatchObject({ type: 'opened', data: { entryId: ids.risky, tier: 'high' } });

    // The progress query answers under the shared name, also after the run (the worker replays it).
    const progress = await queryWithin(h.temporal, workflowId, rescreenProgressQuery, 10_000);
    expect(progress).toMatchObject({
      pages: run.result.pages,
      screened: run.result.screened,
      raised: run.result.raised,
      casesOpened: run.result.casesOpened,
      screenerVersion: SCREENER_VERSION,
      days: DAYS,
    });
  });

  it('keeps journal text out of the run: input and result hold ids and counts, no payload holds text', async () => {
    const texts = await decodedPayloads(workflowId);
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) for (const f of TEXT_FRAGMENTS) expect(t).not.toMatch(f);

    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const startedAttrs = history.events![0]!.workflowExecutionStartedEventAttributes!;
    const [input] = await h.codec.decode(startedAttrs.input!.payloads!);
    expect(JSON.parse(Buffer.from(input!.data!).toString('utf8'))).toEqual({
      days: DAYS,
      requestedBy: 'nurse-1',
      screenerVersion: SCREENER_VERSION,
    });
    const { result } = await finished(workflowId);
    expect(Object.keys(result).sort()).toEqual(
      [
        'casesOpened',
        'days',
        'failed',
        'pages',
        'raised',
        'requestedBy',
        'screened',
        'screenerVersion',
        'since',
      ].sort(),
    );
    // Nor in the log: ids, tiers and counts only.
    const logged = JSON.stringify(h.logLines);
    for (const f of TEXT_FRAGMENTS) expect(logged).not.toMatch(f);
  });

  it('a second re-screen for the same version, once the first finished, screens nothing again', async () => {
    const again = await h.call('POST', '/v1/crisis/rescreens', { token: await staff(), body: { days: DAYS } });
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ workflowId, alreadyRunning: false });
    const run = await finished(workflowId, firstRunId);
    expect(run.result).toMatchObject({ screened: 0, raised: 0, casesOpened: 0, failed: expected.unreadable });
    for (const id of [ids.risky, ids.benign, ids.never]) {
      const now = await row(id);
      expect(now.screening.screenerVersion).toBe(SCREENER_VERSION);
    }
    const caseRows = await h.database.db.execute(
      sql`select count(*)::int as n from app.crisis_cases where user_id = ${userNew}`,
    );
    expect(caseRows[0]).toEqual({ n: 1 });
  });

  it('pages through the window with a keyset cursor: small pages give the same answer', async () => {
    // Three more entries an older screener scored none; then a run with pages of one entry.
    const user = h.newUser();
    const token = await h.token(user);
    await h.stopWorkers();
    const written = [];
    for (const text of [BENIGN_TEXT, HIGH_TEXT, BENIGN_TEXT_2]) written.push(await write(token, text));
    for (const w of written) await h.temporal.workflow.getHandle(w.workflowId).terminate('test: older screener');
    await h.startWorkers();
    for (const w of written) await setScreening(w.entryId, { ...oldScreening, screenerVersion: OLD_VERSION });
    const now = await stale();
    expect(now.readable).toBe(3);

    const started = await startWorkflow(h.temporal, journalRescreen, {
      days: DAYS,
      requestedBy: 'nurse-1',
      pageSize: 1,
      screenerVersion: SCREENER_VERSION,
    });
    const result = await started.handle.result();
    // One page per entry (readable or not), plus the last, short page that says "done".
    expect(result).toMatchObject({
      screened: 3,
      raised: 1,
      casesOpened: 1,
      failed: now.unreadable,
      pages: 3 + now.unreadable + 1,
    });
    for (const w of written) expect((await row(w.entryId)).screening.screenerVersion).toBe(SCREENER_VERSION);
    expect((await row(written[1]!.entryId)).screening.tier).toBe('high');
  });
});
