/** @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono';
import type { loadCrisisPolicy } from '../../crisis-policy';
import type { ConsoleRepository } from '../../db/repositories/console';
import type { CaseTier } from '../../domain/crisis/types';
import { outageError, validationError } from '../errors';
import { NoteBody, RescreenBody, ResolveBody } from '../schemas/crisis';
import type { CrisisService } from '../services/crisis.service';
import type { ConsoleEnv } from './console-env';
import { CaseLive, CasePage } from './case-view';
import { formField } from './guard';
import { QueuePage, QueueRows } from './queue';
import { BACKLOG_DAYS, RescreenLive, type RescreenState, ScreeningPage } from './screening-view';

/** How many cases the queue shows: more than a shift handles, so none is hidden below the fold of a page. */
const QUEUE_LIMIT = 200;

/**
 * The crisis pages (staff and admin): the queue, a case, and the case actions. Every action goes through
 * crisis.service, the same code as the API's /v1/crisis routes, so the case run's update validators decide.
 */
export function crisisRoutes(deps: {
  crisis: CrisisService;
  rows: ConsoleRepository;
  policy: ReturnType<typeof loadCrisisPolicy>;
  timeScale: number;
}) {
  const { crisis, rows } = deps;
  const app = new Hono<ConsoleEnv>();

  /** Follow-up due times: the tier's follow-up delays (scaled as the case run scales them) after resolution. */
  const followUpsDue = (d: { tier: string; resolvedAt: string | null }) => {
    if (!d.resolvedAt) return [];
    const start = Date.parse(d.resolvedAt);
    const delays = deps.policy[d.tier as CaseTier]?.followUpsMs ?? [];
    return delays.map((ms) => new Date(start + Math.max(1, Math.round(ms * deps.timeScale))).toISOString());
  };

  app.get('/console', async (c) => c.html(<QueuePage session={c.var.session} rows={await rows.queue(QUEUE_LIMIT)} />));
  app.get('/console/queue/rows', async (c) => c.html(<QueueRows rows={await rows.queue(QUEUE_LIMIT)} />));

  app.get('/console/cases/:caseId', async (c) => {
    const view = await crisis.readWithText(c.req.param('caseId'), c.var.session.sub);
    return c.html(<CasePage session={c.var.session} view={view} followUpsDue={followUpsDue(view)} />);
  });

  const live = async (caseId: string, session: ConsoleEnv['Variables']['session']) => {
    const detail = await crisis.get(caseId);
    return <CaseLive session={session} detail={detail} followUpsDue={followUpsDue(detail)} />;
  };
  app.get('/console/cases/:caseId/live', async (c) => c.html(await live(c.req.param('caseId'), c.var.session)));

  /** After an action: the live part for the page's script, or back to the case page without script. */
  const done = async (c: Context<ConsoleEnv>, caseId: string) =>
    c.req.header('X-Requested-With')
      ? c.html(await live(caseId, c.var.session))
      : c.redirect(`/console/cases/${caseId}#timeline-title`, 303);

  app.post('/console/cases/:caseId/acknowledge', async (c) => {
    await crisis.acknowledge(c.req.param('caseId'), c.var.session.sub);
    return done(c, c.req.param('caseId'));
  });

  app.post('/console/cases/:caseId/notes', async (c) => {
    const body = NoteBody.safeParse({ note: await formField(c, 'note') });
    if (!body.success) throw validationError(body.error, 'form');
    await crisis.note(c.req.param('caseId'), c.var.session.sub, body.data.note);
    return done(c, c.req.param('caseId'));
  });

  app.post('/console/cases/:caseId/resolve', async (c) => {
    const note = await formField(c, 'note');
    const body = ResolveBody.safeParse({ outcome: await formField(c, 'outcome'), ...(note ? { note } : {}) });
    if (!body.success) throw validationError(body.error, 'form');
    await crisis.resolve(c.req.param('caseId'), c.var.session.sub, body.data);
    return done(c, c.req.param('caseId'));
  });

  /** The re-screen run, or `unavailable` while Temporal does not answer (the rest of the page still renders). */
  const rescreenState = (session: ConsoleEnv['Variables']['session']): Promise<RescreenState> =>
    crisis.rescreenRun(session).catch((err: unknown) => {
      if (outageError(err)?.code === 'temporal_unavailable') return 'unavailable';
      throw err;
    });
  app.get('/console/screening', async (c) => {
    // PostgreSQL and Temporal at once: the page waits for the slower, not for both in turn.
    const [backlog, run] = await Promise.all([crisis.rescreenBacklog(BACKLOG_DAYS), rescreenState(c.var.session)]);
    return c.html(
      <ScreeningPage session={c.var.session} screenerVersion={crisis.screenerVersion} backlog={backlog} run={run} />,
    );
  });
  app.get('/console/screening/live', async (c) => c.html(<RescreenLive run={await rescreenState(c.var.session)} />));

  app.post('/console/screening/rescreens', async (c) => {
    const days = (await formField(c, 'days'))?.trim();
    // The form sends text; only a whole number is a number of days (`Number('')` would be 0, `'7.5'` not whole).
    const body = RescreenBody.safeParse({ days: days && /^\d+$/.test(days) ? Number(days) : days });
    if (!body.success) throw validationError(body.error, 'form');
    await crisis.rescreen(body.data.days, c.var.session.sub);
    return c.redirect('/console/screening#rescreen-title', 303);
  });

  return app;
}
