/** @jsxImportSource hono/jsx */
import {
  type JournalRescreenResult,
  RESCREEN_MAX_DAYS,
  RESCREEN_MIN_DAYS,
  type RescreenProgress,
  type RescreenTotals,
  rescreenStartOf,
} from '../../contracts/journal-rescreen';
import type { Session } from '../identity/session';
import type { RunDetail } from '../services/runs/run-views';
import { CsrfField, Page, Time } from './layout';

/** What the form offers first: two weeks, the entries whose people are most likely still in the same place. */
const DEFAULT_DAYS = 14;

/** The windows the backlog is counted for: a day, a week, the default, a month, the most a re-screen reaches. */
export const BACKLOG_DAYS = [1, 7, DEFAULT_DAYS, 30, RESCREEN_MAX_DAYS] as const;

/**
 * Screening (staff and admins): the screener version in force, the re-screen for it (its progress while it
 * runs, updated by console.js, and its totals once done), and the form that starts one. The same service as
 * POST /v1/crisis/rescreens, so one re-screen per version at a time and never an entry twice per version.
 */
export function ScreeningPage(props: {
  session: Session;
  screenerVersion: string;
  /** Entries not yet screened with this version, per window of BACKLOG_DAYS. */
  backlog: { days: number; entries: number }[];
  run: RescreenState;
}) {
  const running = props.run === 'unavailable' || props.run?.status === 'running';
  return (
    <Page title="Screening" session={props.session}>
      <h1>Screening</h1>
      <section class="card" aria-labelledby="version-title">
        <h2 id="version-title">Screener in force</h2>
        <p>
          <code id="screener-version">{props.screenerVersion}</code>
        </p>
        <p class="muted">
          Journal entries are flagged for human review by this version. Entries screened by an earlier version keep that
          screening until they are re-screened; a re-screen opens or joins a case where the new tier is higher.
        </p>
        <table id="backlog" aria-describedby="backlog-caption">
          <caption id="backlog-caption">Entries not yet screened with this version</caption>
          <thead>
            <tr>
              {props.backlog.map((b) => (
                <th scope="col">last {b.days === 1 ? 'day' : `${b.days} days`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {props.backlog.map((b) => (
                <td data-days={String(b.days)}>{b.entries}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="rescreen-title">
        <h2 id="rescreen-title">Re-screen recent entries</h2>
        <RescreenLive run={props.run} />
        {running ? null : (
          <form method="post" action="/console/screening/rescreens" class="stack">
            <CsrfField session={props.session} />
            <label for="days">Entries written in the last … days</label>
            <input
              id="days"
              name="days"
              type="number"
              inputmode="numeric"
              min={RESCREEN_MIN_DAYS}
              max={RESCREEN_MAX_DAYS}
              value={String(DEFAULT_DAYS)}
              required
            />
            <button type="submit" class="primary">
              Re-screen with this version
            </button>
          </form>
        )}
      </section>
    </Page>
  );
}

/**
 * What the page knows of the re-screen: the run (null before the first), or `unavailable` while Temporal does
 * not answer (the version and backlog come from PostgreSQL and are still shown).
 */
export type RescreenState = RunDetail | null | 'unavailable';

/**
 * The run's part of the page: the fragment console.js refetches while the run is running, and also while its
 * state is unavailable, so the page recovers on its own once Temporal answers again.
 */
export function RescreenLive({ run }: { run: RescreenState }) {
  const poll = run === 'unavailable' || run?.status === 'running';
  return (
    <div id="rescreen-live" data-running={String(poll)} aria-live="polite">
      {run === 'unavailable' ? (
        <p id="rescreen-status" role="status">
          Not available right now: the workflow service (Temporal) is not answering. This part refreshes on its own;
          re-screening can start once it is back.
        </p>
      ) : run ? (
        <RunFacts run={run} />
      ) : (
        <p>No re-screen has run for this version yet.</p>
      )}
    </div>
  );
}

function RunFacts({ run }: { run: RunDetail }) {
  const totals =
    run.status === 'running'
      ? (run.progress as RescreenProgress | null)
      : run.status === 'completed'
        ? (run.result as JournalRescreenResult)
        : null;
  // The run continues as new every RESCREEN_PAGES_PER_RUN pages, so its own start is the latest link's; the
  // re-screen began `days` after its window's start, which every link carries (`since` is first start − days).
  const started = totals ? rescreenStartOf(totals.since, totals.days) : run.startedAt;
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd id="rescreen-status">{run.status}</dd>
      <dt>Started</dt>
      <dd>
        <Time at={started} />
      </dd>
      {run.closedAt ? (
        <>
          <dt>Finished</dt>
          <dd>
            <Time at={run.closedAt} />
          </dd>
        </>
      ) : null}
      {totals ? <Totals totals={totals} /> : null}
      {run.error ? (
        <>
          <dt>Why it stopped</dt>
          <dd>{run.error}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Totals({ totals }: { totals: RescreenTotals & { days: number; since: string } }) {
  return (
    <>
      <dt>Entries since</dt>
      <dd>
        <Time at={totals.since} /> ({totals.days === 1 ? '1 day' : `${totals.days} days`})
      </dd>
      <dt>Screened again</dt>
      <dd id="rescreen-screened">{totals.screened}</dd>
      <dt>Tier raised</dt>
      <dd id="rescreen-raised">{totals.raised}</dd>
      <dt>Cases opened or joined</dt>
      <dd>{totals.casesOpened}</dd>
      <dt>Could not be read (left for a later run)</dt>
      <dd>{totals.failed}</dd>
    </>
  );
}
