/** @jsxImportSource hono/jsx */
import { RESOLVE_OUTCOMES } from '../schemas/crisis';
import type { Session } from '../identity/session';
import type { CrisisService } from '../services/crisis.service';
import { CsrfField, Page, TierBadge, Time } from './layout';

type CaseDetail = Awaited<ReturnType<CrisisService['get']>>;
type CaseWithText = Awaited<ReturnType<CrisisService['readWithText']>>;

/**
 * One case: the person's words (this page's render is the audited view), why each entry was flagged, the
 * person's recent screenings, and the live part (status, actions, follow-ups, the whole timeline) that
 * console.js refetches from /console/cases/:id/live whenever the live feed names this case.
 */
export function CasePage(props: { session: Session; view: CaseWithText; followUpsDue: string[] }) {
  const { view, session } = props;
  return (
    <Page title={`Case ${view.caseId.slice(0, 8)}`} session={session}>
      <div class="page-head">
        <h1>
          Case {view.caseId.slice(0, 8)} <TierBadge tier={view.tier} />
        </h1>
        <span id="live-status" role="status" class="muted">
          Connecting…
        </span>
      </div>
      <p class="muted">
        Person {view.userId} · opened <Time at={view.openedAt} /> · your view of this text is recorded in the timeline.
      </p>
      <div class="grid">
        <section aria-labelledby="words" class="card">
          <h2 id="words">What they wrote</h2>
          {view.entries.map((e) => (
            <article class="entry">
              <p class="muted">
                Entry {e.entryId.slice(0, 8)} · <Time at={e.createdAt} /> · tier {e.tier ?? '—'}
              </p>
              {e.text === null ? (
                <p class="muted">The text is no longer stored (retention period).</p>
              ) : (
                <blockquote class="journal-text">{e.text}</blockquote>
              )}
              {e.why ? (
                <dl class="why">
                  <dt>Screener</dt>
                  <dd>
                    {e.why.screenerVersion} (decided by {e.why.source})
                  </dd>
                  <dt>Rule categories</dt>
                  <dd>{e.why.rules.categories.join(', ') || '—'}</dd>
                  {e.why.model ? (
                    <>
                      <dt>Model</dt>
                      <dd>
                        {e.why.model.version}: tier {e.why.model.tier}
                        {e.why.model.uncertain ? ' (uncertain)' : ''}; scores{' '}
                        {Object.entries(e.why.model.scores)
                          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
                          .join(', ')}
                      </dd>
                    </>
                  ) : null}
                </dl>
              ) : null}
            </article>
          ))}
        </section>
        <section aria-labelledby="recent" class="card">
          <h2 id="recent">Recent screenings of this person</h2>
          <ul class="plain">
            {view.recentScreenings.map((s) => (
              <li>
                <Time at={s.createdAt} /> <TierBadge tier={s.tier} /> {s.why.rules.categories.join(', ')}
                {s.mood === null ? '' : ` · mood ${s.mood}`}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div id="case-live" data-live="case" data-case={view.caseId}>
        <CaseLive session={session} detail={view} followUpsDue={props.followUpsDue} />
      </div>
    </Page>
  );
}

/** The part that changes: status, actions, follow-ups, timeline. */
export function CaseLive(props: { session: Session; detail: CaseDetail; followUpsDue: string[] }) {
  const { detail: d, session } = props;
  const base = `/console/cases/${d.caseId}`;
  return (
    <>
      <section aria-labelledby="state" class="card">
        <h2 id="state">Status: {d.status}</h2>
        <dl class="facts">
          <dt>Escalation level</dt>
          <dd>{d.escalationLevel}</dd>
          <dt>Acknowledgement deadline</dt>
          <dd>
            {d.status === 'open' && d.ackDeadline ? (
              <span class="countdown" data-deadline={d.ackDeadline}>
                <Time at={d.ackDeadline} />
              </span>
            ) : (
              '—'
            )}
          </dd>
          <dt>Acknowledged</dt>
          <dd>{d.acknowledgedBy ? `by ${d.acknowledgedBy}` : 'not yet'}</dd>
          <dt>Outcome</dt>
          <dd>{d.outcome ?? '—'}</dd>
          <dt>Follow-ups</dt>
          <dd>
            {props.followUpsDue.length === 0
              ? d.resolvedAt
                ? 'none'
                : 'start when the case is resolved'
              : props.followUpsDue.map((at, i) => (
                  <span class="followup">
                    #{i + 1} due <Time at={at} />
                    {i < (d.live?.followUpsDone ?? 0) || d.status === 'closed' ? ' (done)' : ''}{' '}
                  </span>
                ))}
          </dd>
        </dl>
        {d.status === 'open' ? (
          <form method="post" action={`${base}/acknowledge`} data-action>
            <CsrfField session={session} />
            <button type="submit" class="primary">
              Acknowledge (stops escalation)
            </button>
          </form>
        ) : null}
        {d.status === 'acknowledged' ? (
          <form method="post" action={`${base}/resolve`} data-action class="stack">
            <CsrfField session={session} />
            <label for="outcome">Outcome</label>
            <select id="outcome" name="outcome" required>
              {RESOLVE_OUTCOMES.map((o) => (
                <option value={o}>{o.replace(/_/g, ' ')}</option>
              ))}
            </select>
            <button type="submit">Resolve</button>
          </form>
        ) : null}
        {d.status !== 'closed' ? (
          <form method="post" action={`${base}/notes`} data-action class="stack">
            <CsrfField session={session} />
            <label for="note">Add a note</label>
            <textarea id="note" name="note" rows={3} maxlength={5000} required></textarea>
            <button type="submit">Add note</button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="timeline-title" class="card">
        <h2 id="timeline-title">Timeline</h2>
        <ol class="timeline" id="timeline">
          {d.timeline.map((e) => (
            <li data-type={e.type}>
              <Time at={e.at} /> <strong>{e.type.replace(/_/g, ' ')}</strong> by {e.actor}
              <EventData data={e.data} />
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function EventData({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return null;
  return (
    <span class="muted">
      {' '}
      · {entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')}
    </span>
  );
}
