import { WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rescreenWorkflowId } from '../../src/contracts/journal-rescreen';
import { SCREENER_VERSION } from '../../src/domain/crisis/screen-entry';
import { csrfOf, devSignIn, form, writeStaleEntry } from '../support/console-session';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * The console's Screening page over HTTP against the real app, dev server, database and workers: staff see the
 * screener in force, start a re-screen from the form, and see its totals once the workers have finished it;
 * bad input and a missing CSRF token are refused with a page and start nothing. (tests/browser/console.test.ts
 * drives the same page in Chromium.)
 */
const RUN_ID = rescreenWorkflowId(SCREENER_VERSION);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const page = async (cookie: string, path = '/console/screening') => {
  const res = await h.app.request(path, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text() };
};
const post = (cookie: string, fields: Record<string, string>) =>
  h.app.request('/console/screening/rescreens', {
    ...form(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  });
/** The re-screen run for the current version (its run id and status), or undefined before the first one. */
const currentRun = async () => {
  try {
    const d = await h.temporal.workflow.getHandle(RUN_ID).describe();
    return { runId: d.runId, status: d.status.name };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
};

/** The page's backlog table: entries not at the current version, by window (days → entries). */
const backlogOf = (html: string) =>
  Object.fromEntries([...html.matchAll(/<td data-days="(\d+)">(\d+)<\/td>/g)].map((m) => [Number(m[1]), Number(m[2])]));

describe('the Screening page of the console', () => {
  it('shows staff and admins the screener in force; a user-role session gets a 403 page', async () => {
    for (const role of ['staff', 'admin']) {
      const { cookie } = await devSignIn(h, `${role}-1`, role);
      const { status, html } = await page(cookie);
      expect(status).toBe(200);
      expect(html).toContain(`<code id="screener-version">${SCREENER_VERSION}</code>`);
      expect(html).toContain('href="/console/screening"');
    }
    const user = await devSignIn(h, 'person-1', 'user');
    expect((await page(user.cookie)).status).toBe(403);
    expect((await page(user.cookie, '/console/screening/live')).status).toBe(403);
  });

  it('refuses bad days and a missing CSRF token with a page, and starts nothing', async () => {
    const { cookie } = await devSignIn(h, 'nurse-2', 'staff');
    const csrf = csrfOf((await page(cookie)).html);
    const before = await currentRun();
    // No run in progress, so a start that slipped through would show as a new run id.
    expect(before?.status).not.toBe('RUNNING');
    for (const days of ['0', '91', 'seven', '7.5', '', '-3']) {
      const res = await post(cookie, { days, _csrf: csrf });
      expect(res.status, `days=${days}`).toBe(422);
      const html = await res.text();
      expect(html).toContain('Check the form');
      expect(html).toContain('days: a whole number of days from 1 to 90');
    }
    const noToken = await post(cookie, { days: '7' });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Form expired');
    expect(await currentRun()).toEqual(before);
  });

  it('starts a re-screen from the form and shows its totals once the workers have finished it', async () => {
    const entryId = await writeStaleEntry(h);
    const { cookie } = await devSignIn(h, 'nurse-3', 'staff');
    const before = (await page(cookie)).html;
    const csrf = csrfOf(before);
    // The backlog: the stale entry (and any other file's entry not at this version) is counted for the last day.
    const backlogBefore = backlogOf(before);
    expect(backlogBefore[1]).toBeGreaterThanOrEqual(1);
    expect(backlogBefore[90]).toBeGreaterThanOrEqual(backlogBefore[1]!);
    // Workers stopped: the run waits, and the page says it is running (console.js then polls the fragment).
    await h.stopWorkers();
    const postedAt = Date.now();
    const started = await post(cookie, { days: ' 1 ', _csrf: csrf });
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe('/console/screening#rescreen-title');
    const running = await page(cookie);
    expect(running.html).toContain('<div id="rescreen-live" data-running="true"');
    expect(running.html).toContain('<dd id="rescreen-status">running</dd>');
    expect(running.html).not.toContain('action="/console/screening/rescreens"');
    await h.startWorkers();

    const done = await eventually(async () => {
      const { html } = await page(cookie, '/console/screening/live');
      return html.includes('<dd id="rescreen-status">completed</dd>') ? html : undefined;
    }, 90_000);
    const screened = Number(/<dd id="rescreen-screened">(\d+)<\/dd>/.exec(done)?.[1]);
    expect(screened).toBeGreaterThanOrEqual(1);
    expect(done).toContain('(1 day)');
    // Started: when the re-screen began (derived from the window its run carries), between the post and the end.
    const times = (label: string) =>
      Date.parse(new RegExp(`<dt>${label}</dt><dd><time datetime="([^"]+)"`).exec(done)![1]!);
    expect(times('Started')).toBeGreaterThanOrEqual(postedAt - 1000);
    expect(times('Started')).toBeLessThanOrEqual(times('Finished'));
    const rows = await h.database.db.execute(
      sql`select screening ->> 'screenerVersion' as version from app.journal_entries where id = ${entryId}`,
    );
    expect((rows[0] as { version: string }).version).toBe(SCREENER_VERSION);
    // Finished: the page offers the form again, and what the run screened left the backlog.
    const after = (await page(cookie)).html;
    expect(after).toContain('action="/console/screening/rescreens"');
    expect(backlogOf(after)[1]).toBe(backlogBefore[1]! - screened);
  }, 150_000);
});
