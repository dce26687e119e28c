import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ReceivedSpan, startFakeOtlpReceiver } from '../support/fake-otlp-receiver';
import { type Harness, eventually, startHarness } from '../support/harness';
import { restrictedRole } from '../support/restricted-role';

/**
 * Spans carry no health data either (hardening notes: "the OpenTelemetry activity interceptors run inside the
 * redaction and still record raw errors on spans"). With tracing on, a meal's record step fails with a real
 * DrizzleQueryError whose parameters hold a marker word (the worker's role may not insert analyses); the span
 * of that attempt records the exception, and the marker must be in nothing the collector receives.
 */
// Lower case: the parser lowercases what it stores, so this is the form the parameters carry.
const MARKER = `mrkspan${randomBytes(5).toString('hex')}`;
let admin: postgres.Sql;
let role: string | undefined;
let h: Harness;
let receiver: Awaited<ReturnType<typeof startFakeOtlpReceiver>>;

beforeAll(async () => {
  admin = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  const restricted = await restrictedRole(admin, 'span', async (r) => {
    await admin.unsafe(`revoke insert on app.meal_analyses from ${r}`);
  });
  role = restricted.role;
  receiver = await startFakeOtlpReceiver();
  h = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, DATABASE_URL: restricted.url } });
});
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
  if (role) await admin.unsafe(`drop role if exists ${role}`).catch(() => {});
  await admin?.end();
});

describe('tracing: recorded exceptions are redacted', () => {
  it('a failing step with a marker in its query parameters: recorded on its span, the marker nowhere', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', {
      token,
      body: { description: `2 eggs and ${MARKER} toast`, mealType: 'breakfast' },
    });
    expect(res.status).toBe(202);
    const { workflowId } = res.json as { workflowId: string };

    // The record step's span, with the exception it recorded: the raw error is a DrizzleQueryError.
    const spanBody = await eventually(
      async () =>
        receiver.bodies.find((b) => b.includes('RunActivity:recordMealAnalysis') && b.includes('"exception"')),
      60_000,
    );
    expect(spanBody).toMatch(/Failed query: insert into \\?"app\\?"\.\\?"meal_analyses\\?"/);
    const recorded = receiver.spans.filter((s: ReceivedSpan) => s.name === 'RunActivity:recordMealAnalysis');
    expect(recorded.length).toBeGreaterThan(0);

    await h.temporal.workflow.getHandle(workflowId).terminate('tracing redaction test: record cannot succeed');
    // Nothing exported carries the marker: not the status message, not the exception's message or stack.
    expect(receiver.bodies.filter((b) => b.toLowerCase().includes(MARKER))).toEqual([]);
  }, 90_000);
});
