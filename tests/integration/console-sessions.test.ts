import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionSealer, SESSION_COOKIE } from '../../src/api/identity/session';
import { csrfOf, devSignIn, form } from '../support/console-session';
import { type Harness, startHarness } from '../support/harness';

/**
 * Console sessions over HTTP against the real app (no browser): the development sign-in, the cookie's
 * attributes, the role gate, CSRF on every state-changing call, sign-out, and that production mode has no
 * development sign-in. The browser tests (tests/browser) drive the same pages in Chromium.
 */
let dev: Harness;
let prod: Harness;

beforeAll(async () => {
  dev = await startHarness({ workers: false });
  prod = await startHarness({ workers: false, env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await dev?.stop();
  await prod?.stop();
});

describe('development sign-in (npm start)', () => {
  it('sends a visitor to sign-in with where they were going, and back there after it', async () => {
    const res = await dev.app.request('/console/cases/5d3c2a1b-0000-4000-8000-000000000000');
    expect(res.status).toBe(303);
    const to = res.headers.get('location')!;
    expect(to).toBe('/console/sign-in?returnTo=%2Fconsole%2Fcases%2F5d3c2a1b-0000-4000-8000-000000000000');
    const page = await (await dev.app.request(to)).text();
    expect(page).toContain('DEVELOPMENT');
    expect(page).toContain('value="/console/cases/5d3c2a1b-0000-4000-8000-000000000000"');
    const { res: signedIn, setCookie } = await devSignIn(
      dev,
      'nurse-1',
      'staff',
      '/console/cases/5d3c2a1b-0000-4000-8000-000000000000',
    );
    expect(signedIn.headers.get('location')).toBe('/console/cases/5d3c2a1b-0000-4000-8000-000000000000');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // Served from 127.0.0.1 over http: not Secure (the browser would drop it); elsewhere it is.
    expect(setCookie).not.toMatch(/Secure/i);
  });

  it('refuses a return-to that leaves the console', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/console', '/v1/meals', '/console\\@evil']) {
      const { res } = await devSignIn(dev, 'nurse-1', 'staff', returnTo);
      expect(res.headers.get('location')).toBe('/console');
    }
  });

  it('opens the queue for staff and answers a 403 page to a user-role session', async () => {
    const staff = await devSignIn(dev, 'nurse-1', 'staff');
    const queue = await dev.app.request('/console', { headers: { Cookie: staff.cookie } });
    expect(queue.status).toBe(200);
    const html = await queue.text();
    expect(html).toContain('Crisis queue');
    expect(queue.headers.get('content-security-policy')).toContain("script-src 'self'");

    const user = await devSignIn(dev, 'alice', 'user');
    const refused = await dev.app.request('/console', { headers: { Cookie: user.cookie } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Not available to your role');
    // Staff are not admins: the operations page is refused too.
    expect((await dev.app.request('/console/ops', { headers: { Cookie: staff.cookie } })).status).toBe(403);
  });

  it('treats a tampered or foreign cookie as no session', async () => {
    const staff = await devSignIn(dev, 'nurse-1', 'staff');
    const tampered = staff.cookie.slice(0, -4) + 'AAAA';
    const res = await dev.app.request('/console', { headers: { Cookie: tampered } });
    expect(res.status).toBe(303);
    // A cookie sealed by another deployment (another JWT_SECRET) does not open here either.
    const foreign = await createSessionSealer('another-deployment-secret-0123456789abcdef').sealSession({
      sub: 'nurse-1',
      role: 'admin',
    });
    const res2 = await dev.app.request('/console', { headers: { Cookie: `${SESSION_COOKIE}=${foreign}` } });
    expect(res2.status).toBe(303);
  });

  it('refuses a state-changing call without the session CSRF token, and accepts it with', async () => {
    const staff = await devSignIn(dev, 'nurse-1', 'staff');
    const caseId = '5d3c2a1b-0000-4000-8000-000000000000';
    const without = await dev.app.request(`/console/cases/${caseId}/notes`, {
      ...form({ note: 'called' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: staff.cookie },
    });
    expect(without.status).toBe(403);
    expect(await without.text()).toContain('Form expired');
    const csrf = csrfOf(await (await dev.app.request('/console', { headers: { Cookie: staff.cookie } })).text());
    const withToken = await dev.app.request(`/console/cases/${caseId}/notes`, {
      ...form({ note: 'called', _csrf: csrf }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: staff.cookie },
    });
    // Past the CSRF gate: the case does not exist.
    expect(withToken.status).toBe(404);
    expect(await withToken.text()).toContain('Not found');
  });

  it('signs out with the token and clears the cookie', async () => {
    const staff = await devSignIn(dev, 'nurse-1', 'staff');
    const csrf = csrfOf(await (await dev.app.request('/console', { headers: { Cookie: staff.cookie } })).text());
    const refused = await dev.app.request('/console/sign-out', {
      ...form({}),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: staff.cookie },
    });
    expect(refused.status).toBe(403);
    const out = await dev.app.request('/console/sign-out', {
      ...form({ _csrf: csrf }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: staff.cookie },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/wellflow_console=;.*Max-Age=0/i);
  });
});

describe('production mode', () => {
  it('has no development sign-in: the form is not offered and posting it creates no session', async () => {
    const page = await prod.app.request('/console/sign-in');
    expect(page.status).toBe(503);
    expect(await page.text()).not.toContain('DEVELOPMENT');
    const res = await prod.app.request('/console/dev-sign-in', form({ staffId: 'mallory', role: 'admin' }));
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('codec endpoints with the console session', () => {
  const payloads = async (h: Harness) => {
    const [p] = await h.codec.encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') },
    ]);
    return {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
          ),
          data: Buffer.from(p!.data!).toString('base64'),
        },
      ],
    };
  };
  const decode = (h: Harness, cookie: string, body: unknown, origin?: string) =>
    h.app.request('/codec/decode', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(origin ? { Origin: origin } : {}) },
      body: JSON.stringify(body),
    });

  it('decodes for a staff session from the Web UI origin, refuses users and other origins', async () => {
    const body = await payloads(dev);
    const staff = await devSignIn(dev, 'nurse-1', 'staff');
    const ok = await decode(dev, staff.cookie, body, dev.config.uiOrigins[0]);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const decoded = (await ok.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toBe('{"a":1}');

    const user = await devSignIn(dev, 'alice', 'user');
    expect((await decode(dev, user.cookie, body, dev.config.uiOrigins[0])).status).toBe(403);
    expect((await decode(dev, staff.cookie, body, 'http://localhost:9999')).status).toBe(403);
    expect((await decode(dev, 'wellflow_console=garbage', body)).status).toBe(401);
  });
});
