/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Session } from '../identity/session';

/**
 * The console's page shell: a skip link, the header with the signed-in staff member and sign-out, the
 * navigation, and one stylesheet and one script, both served from /console/assets (no CDN, no build step).
 * Colours are chosen for WCAG 2.1 AA contrast (see assets/console.css).
 */
export function Page(props: { title: string; session?: Session; children: Child; dev?: boolean }) {
  const { session } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Wellflow console`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        {session ? <meta name="csrf-token" content={session.csrf} /> : null}
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        {props.dev ? (
          <div class="dev-banner" role="note">
            DEVELOPMENT sign-in: anyone can claim any staff id here. Never available with NODE_ENV=production.
          </div>
        ) : null}
        <header class="top">
          <a class="brand" href="/console">
            Wellflow console
          </a>
          {session ? (
            <nav aria-label="Console">
              <a href="/console">Crisis queue</a>
              <a href="/console/screening">Screening</a>
              {session.role === 'admin' ? <a href="/console/ops">Operations</a> : null}
              <span class="who">
                {session.sub} ({session.role})
              </span>
              <form method="post" action="/console/sign-out" class="inline">
                <CsrfField session={session} />
                <button type="submit">Sign out</button>
              </form>
            </nav>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** The synchronizer token every state-changing form sends back (checked by requireCsrf). */
export const CsrfField = ({ session }: { session: Session }) => (
  <input type="hidden" name="_csrf" value={session.csrf} />
);

/** A time as the staff member's browser shows it (console.js localises `data-time`); UTC ISO without script. */
export const Time = ({ at }: { at: string | Date | null | undefined }) => {
  if (!at) return <span>—</span>;
  const iso = typeof at === 'string' ? at : at.toISOString();
  return (
    <time datetime={iso} data-time={iso}>
      {iso.replace('T', ' ').slice(0, 19)} UTC
    </time>
  );
};

/** A risk tier as a labelled badge (text, not colour alone, carries the meaning). */
export const TierBadge = ({ tier }: { tier: string }) => <span class={`tier tier-${tier}`}>{tier}</span>;

/** A whole page for an error or refusal: the status, what happened, where to go. */
export function Problem(props: { status: number; title: string; message: string; session?: Session }) {
  return (
    <Page title={props.title} session={props.session}>
      <section class="problem" aria-labelledby="problem-title">
        <h1 id="problem-title">{props.title}</h1>
        <p>{props.message}</p>
        <p class="muted">HTTP {props.status}</p>
        <p>
          <a href="/console">Back to the console</a>
        </p>
      </section>
    </Page>
  );
}
