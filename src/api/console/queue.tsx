/** @jsxImportSource hono/jsx */
import type { QueueRow } from '../../db/repositories/console';
import type { Session } from '../identity/session';
import { Page, TierBadge, Time } from './layout';

/**
 * The crisis queue: cases still in someone's hands, unacknowledged first by time left to their deadline.
 * console.js counts the deadlines down, refetches the rows (`/console/queue/rows`) when the live feed says a
 * case changed, and, once the staff member enables it, sounds and shows a desktop notification for a new or
 * escalated case.
 */
export function QueuePage({ session, rows }: { session: Session; rows: QueueRow[] }) {
  return (
    <Page title="Crisis queue" session={session}>
      <div class="page-head">
        <h1>Crisis queue</h1>
        <div class="controls">
          <button type="button" id="enable-alerts" aria-pressed="false">
            Enable sound and desktop alerts
          </button>
          <span id="live-status" role="status" class="muted">
            Connecting…
          </span>
        </div>
      </div>
      <p class="muted">Unacknowledged cases first, soonest acknowledgement deadline first. Updates live.</p>
      <div class="table-wrap">
        <table class="queue" data-live="queue" aria-describedby="queue-caption">
          <caption id="queue-caption">Open, acknowledged and resolved cases not yet closed</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Tier</th>
              <th scope="col">Status</th>
              <th scope="col">Time left to acknowledge</th>
              <th scope="col">Escalation</th>
              <th scope="col">Notified</th>
              <th scope="col">Opened</th>
            </tr>
          </thead>
          <QueueRows rows={rows} />
        </table>
      </div>
    </Page>
  );
}

/** The rows alone: the fragment the live feed refetches. `data-level` lets console.js notice an escalation. */
export function QueueRows({ rows }: { rows: QueueRow[] }) {
  return (
    <tbody id="queue-rows">
      {rows.length === 0 ? (
        <tr>
          <td colspan={7}>No open cases.</td>
        </tr>
      ) : (
        rows.map((r) => (
          <tr data-case={r.id} data-level={String(r.level)} data-status={r.status}>
            <td>
              <a href={`/console/cases/${r.id}`}>Case {r.id.slice(0, 8)}</a>
            </td>
            <td>
              <TierBadge tier={r.tier} />
            </td>
            <td>{r.status === 'open' ? <strong>open</strong> : `${r.status} by ${r.acknowledgedBy ?? '—'}`}</td>
            <td>
              {r.status === 'open' && r.ackDeadline ? (
                <span class="countdown" data-deadline={r.ackDeadline.toISOString()}>
                  <Time at={r.ackDeadline} />
                </span>
              ) : (
                '—'
              )}
            </td>
            <td>level {r.level}</td>
            <td>{r.notified ?? '—'}</td>
            <td>
              <Time at={r.openedAt} />
            </td>
          </tr>
        ))
      )}
    </tbody>
  );
}
