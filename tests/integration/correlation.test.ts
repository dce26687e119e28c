import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from '../../src/temporal/interceptors/header';
import { type Harness, eventually, startHarness } from '../support/harness';

/** One request followed from HTTP through Temporal to the activity's log lines. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('request id correlation', () => {
  it("an activity's log line carries the request id of the HTTP call that started its workflow", async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const requestId = `corr-${randomUUID()}`;
    const res = await h.call('POST', '/v1/insights/weekly', {
      token,
      body: { weekStart: '2026-11-16' },
      headers: { 'X-Request-Id': requestId },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(requestId);

    const line = await eventually(async () =>
      h.logLines.find((l) => l.msg === 'weekly insight stored' && l.userId === user),
    );
    expect(line.requestId).toBe(requestId);
    // The API's own line for the call carries it too.
    expect(h.logLines.some((l) => l.msg === 'http request' && l.requestId === requestId)).toBe(true);

    // It travelled as a Temporal header on the workflow start (an id only: the header is plain JSON).
    const history = await h.temporal.workflow.getHandle(res.json.workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const header = started?.header?.fields?.[REQUEST_ID_HEADER];
    expect(Buffer.from(header!.data!).toString()).toBe(JSON.stringify(requestId));
    // ... and on the activity the workflow scheduled.
    const scheduled = history.events?.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )?.activityTaskScheduledEventAttributes;
    expect(Buffer.from(scheduled!.header!.fields![REQUEST_ID_HEADER]!.data!).toString()).toBe(
      JSON.stringify(requestId),
    );
  });

  it('concurrent requests keep their own ids through to their activities', async () => {
    const calls = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const user = h.newUser();
        const requestId = `corr-${randomUUID()}`;
        const res = await h.call('POST', '/v1/insights/weekly', {
          token: await h.token(user),
          body: { weekStart: '2026-11-09' },
          headers: { 'X-Request-Id': requestId },
        });
        expect(res.status).toBe(202);
        return { user, requestId };
      }),
    );
    for (const { user, requestId } of calls) {
      const line = await eventually(async () =>
        h.logLines.find((l) => l.msg === 'weekly insight stored' && l.userId === user),
      );
      expect(line.requestId).toBe(requestId);
    }
  });
});
