import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createLogger } from '../../src/logger';
import { wellflowDataConverter } from '../../src/temporal/data-converter';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { startWorkflow } from '../../src/temporal/workflow-client';
import { mealAnalysis } from '../../src/workflows/meal-analysis';
import { launchChromium } from '../support/browser';
import { type Harness, startHarness } from '../support/harness';
import { freePort } from '../support/ports';

/**
 * The Temporal Web UI (a dev server started here with its UI and `--ui-codec-endpoint` at the API's /codec)
 * shows a meal run's input decoded to a signed-in staff member, whose browser sends the console session
 * cookie with the codec calls ("Include cross-origin credentials"), and ciphertext to a browser without one.
 * No worker runs on this server: the run's start event (its encrypted input) is all the page needs.
 */
/**
 * Screenshots go to a temporary folder, so `npm test` leaves the working tree as it was; the committed ones in
 * docs/screenshots are refreshed with `SCREENSHOT_DIR=docs/screenshots npx vitest run tests/browser`.
 */
const SCREENSHOTS = path.resolve(process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'wellflow-screenshots'));

let h: Harness;
let ui: DevServer;
let uiUrl: string;
let apiUrl: string;
let server: ReturnType<typeof serve>;
let browser: Browser;
let connection: Connection;
let run: { workflowId: string; runId: string; userId: string };

beforeAll(async () => {
  const [port, uiPort, temporalPort] = await Promise.all([freePort(), freePort(), freePort()]);
  apiUrl = `http://127.0.0.1:${port}`;
  uiUrl = `http://127.0.0.1:${uiPort}`;
  ui = await startDevServer({
    cliPath: inject('temporalCli'),
    port: temporalPort,
    uiPort,
    namespace: 'default',
    codecEndpoint: `${apiUrl}/codec`,
    logger: createLogger('warn'),
  });
  // The codec's CORS and session-origin check allow the Web UI's origin (WELLFLOW_UI_ORIGIN).
  h = await startHarness({ workers: false, env: { WELLFLOW_PUBLIC_URL: apiUrl, WELLFLOW_UI_ORIGIN: uiUrl } });
  server = serve({ fetch: h.app.fetch, port, hostname: '127.0.0.1' });
  connection = await Connection.connect({ address: ui.address });
  const client = new Client({ connection, namespace: 'default', dataConverter: wellflowDataConverter(h.codec) });
  const userId = h.newUser();
  const started = await startWorkflow(client, mealAnalysis, { mealId: randomUUID(), userId });
  run = { workflowId: started.workflowId, runId: (await started.handle.describe()).runId, userId };
  browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await connection?.close();
  await h?.stop();
  await ui?.stop();
});

/**
 * The Web UI's codec settings as a person sets them in its "Codec Server" dialog, kept in the browser's local
 * storage: this endpoint, "Include cross-origin credentials" on, and this browser's setting used.
 */
async function openRunPage(page: Page) {
  await page.goto(uiUrl);
  await page.evaluate((endpoint) => {
    // Runs in the page (no DOM types in this project's compile): the browser's own localStorage.
    const store = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
    store.setItem('endpoint', JSON.stringify(endpoint));
    store.setItem('includeCredentials', 'true');
    store.setItem('overrideRemoteCodecConfiguration', 'true');
  }, `${apiUrl}/codec`);
  await page.goto(`${uiUrl}/namespaces/default/workflows/${run.workflowId}/${run.runId}/history`);
}

describe('Temporal Web UI with the codec endpoint', () => {
  it('shows the decoded input to a signed-in staff member', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    // Development sign-in (this harness has no identity provider): the session cookie for 127.0.0.1.
    await page.goto(`${apiUrl}/console/sign-in`);
    await page.fill('#staffId', 'nurse-ada');
    await page.selectOption('#role', 'staff');
    await Promise.all([page.waitForURL(`${apiUrl}/console`), page.click('button[type="submit"]')]);
    await openRunPage(page);
    // The input's field name is only in the decoded payload (the run's id and search attributes lack it).
    await page.getByText('"mealId"').first().waitFor({ timeout: 30_000 });
    expect(await page.content()).toContain(run.userId);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-ui-decoded.png') });
    await context.close();
  });

  it('shows ciphertext to a browser without a staff session', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    // The UI asks the codec; without a session (and without a bearer token) the codec refuses.
    const codecStatuses: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/codec/decode') && r.request().method() === 'POST') codecStatuses.push(r.status());
    });
    await openRunPage(page);
    await page
      .getByText('Codec Server could not connect')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(codecStatuses).toContain(401);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-ui-ciphertext.png') });
    const html = await page.content();
    expect(html).not.toContain('"mealId"');
    expect(html).not.toContain(run.userId.slice(2));
    await context.close();
  });
});
