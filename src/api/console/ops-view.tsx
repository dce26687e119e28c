/** @jsxImportSource hono/jsx */
import type { CheckResult, HealthStatus } from '../../domain/health';
import type { Session } from '../identity/session';
import type { RunSummary } from '../services/runs/run-views';
import type { QueueService } from '../services/queues.service';
import type { ScheduleService } from '../services/schedules.service';
import { CsrfField, Page, Time } from './layout';

export interface OpsData {
  health: { status: HealthStatus; checks: Record<string, CheckResult> };
  queues: Awaited<ReturnType<QueueService['list']>>;
  schedules: Awaited<ReturnType<ScheduleService['list']>>;
  maintenance: RunSummary[];
  failed: RunSummary[];
  /** `<Web UI>/namespaces/<ns>/workflows/<id>/<run>/history` for a run. */
  runLink: (r: RunSummary) => string;
}

/** Operations (admin): the same health, queue, schedule and run views as the /v1 API, on one page. */
export function OpsPage({ session, data }: { session: Session; data: OpsData }) {
  return (
    <Page title="Operations" session={session}>
      <h1>Operations</h1>
      <section class="card" aria-labelledby="health">
        <h2 id="health">
          Health: <span class={`status status-${data.health.status}`}>{data.health.status}</span>
        </h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(data.health.checks).map(([name, r]) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td class={`status status-${r.status}`}>{r.status}</td>
                  <td>{r.latency_ms} ms</td>
                  <td>{r.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="queues">
        <h2 id="queues">Task queues</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Pollers</th>
                <th scope="col">Workflow backlog</th>
                <th scope="col">Activity backlog</th>
              </tr>
            </thead>
            <tbody>
              {data.queues.map((q) => (
                <tr>
                  <th scope="row">{q.name}</th>
                  <td>{q.pollers}</td>
                  <td>
                    {q.workflow.backlog.approximateCount} (oldest {q.workflow.backlog.approximateAgeSeconds} s)
                  </td>
                  <td>
                    {q.activity.backlog.approximateCount} (oldest {q.activity.backlog.approximateAgeSeconds} s)
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="schedules">
        <h2 id="schedules">Schedules</h2>
        {data.schedules.map((s) => (
          <ScheduleCard session={session} s={s} />
        ))}
      </section>
      <RunTable id="maintenance" title="Recent maintenance runs" runs={data.maintenance} link={data.runLink} />
      <RunTable id="failed" title="Recent failed runs" runs={data.failed} link={data.runLink} />
    </Page>
  );
}

type ScheduleItem = OpsData['schedules'][number];

function ScheduleCard({ session, s }: { session: Session; s: ScheduleItem }) {
  const base = `/console/ops/schedules/${encodeURIComponent(s.scheduleId)}`;
  if ('missing' in s)
    return (
      <article class="schedule">
        <h3>{s.scheduleId}</h3>
        <p>Declared but not in Temporal yet: run `wellflow schedules sync`.</p>
      </article>
    );
  return (
    <article class="schedule">
      <h3>
        {s.scheduleId} {s.paused ? <span class="status status-DEGRADED">paused</span> : null}
      </h3>
      <p class="muted">
        {s.description ?? s.workflowType} · next: <Time at={s.nextRuns[0]} />
        {s.note ? ` · note: ${s.note}` : ''}
      </p>
      <div class="actions">
        <form method="post" action={`${base}/${s.paused ? 'unpause' : 'pause'}`}>
          <CsrfField session={session} />
          <button type="submit">{s.paused ? 'Unpause' : 'Pause'}</button>
        </form>
        <form method="post" action={`${base}/trigger`}>
          <CsrfField session={session} />
          <button type="submit">Run now</button>
        </form>
        <form method="post" action={`${base}/backfill`} class="backfill">
          <CsrfField session={session} />
          <label for={`start-${s.scheduleId}`}>From</label>
          <input id={`start-${s.scheduleId}`} name="start" type="datetime-local" required />
          <label for={`end-${s.scheduleId}`}>To</label>
          <input id={`end-${s.scheduleId}`} name="end" type="datetime-local" required />
          <button type="submit">Backfill (UTC)</button>
        </form>
      </div>
    </article>
  );
}

function RunTable(props: { id: string; title: string; runs: RunSummary[]; link: (r: RunSummary) => string }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.runs.length === 0 ? (
        <p>None.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Closed</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((r) => (
                <tr>
                  <td>
                    <a href={props.link(r)} rel="noopener">
                      {r.workflowId}
                    </a>
                  </td>
                  <td>{r.type}</td>
                  <td>{r.status}</td>
                  <td>
                    <Time at={r.startedAt} />
                  </td>
                  <td>
                    <Time at={r.closedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
