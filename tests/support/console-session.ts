import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { eventually, type Harness } from './harness';

/** A urlencoded form POST, as the console's forms send it. */
export const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** Signs in through the development form; the session cookie's `name=value`. */
export async function devSignIn(h: Pick<Harness, 'app'>, staffId: string, role: string, returnTo = '/console') {
  const res = await h.app.request('/console/dev-sign-in', form({ staffId, role, returnTo }));
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, setCookie, cookie: setCookie.split(';')[0]! };
}

/** The session's CSRF token, from a console page's `<meta name="csrf-token">`. */
export const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1]!;

/**
 * A journal entry of a new person, written through the API, screened, then marked in the database as if an older
 * screener had scored it `none`: a re-screen of the last day must bring it to the current version.
 */
export async function writeStaleEntry(h: Harness): Promise<string> {
  const res = await h.call('POST', '/v1/journal-entries', {
    token: await h.token(h.newUser()),
    body: { text: 'Quiet evening, soup and an early night.', mood: 3 },
  });
  expect(res.status).toBe(202);
  const { entryId } = res.json as { entryId: string };
  await eventually(async () => {
    const rows = await h.database.db.execute(sql`select screening from app.journal_entries where id = ${entryId}`);
    return (rows[0] as { screening: unknown } | undefined)?.screening ?? undefined;
  });
  const stale = { tier: 'none', screenerVersion: 'crisis-rules-0.9.0+none' };
  await h.database.db.execute(
    sql`update app.journal_entries set screening = ${JSON.stringify(stale)}::jsonb where id = ${entryId}`,
  );
  return entryId;
}
