import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING } from '../../src/temporal/codec';
import { photo } from '../fixtures/images';
import { type FakeInferenceServer, startFakeInferenceServer } from '../support/fake-inference-server';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * Failure messages and stack traces are encrypted in Temporal history (issue 12, hardening notes): a failure's
 * message is not a payload, so without the failure converter's `encodeCommonAttributes` it is stored in clear
 * whatever the payload codec does. A marker word reaches a failing step's message the way real text would (a model
 * server's rejection quoting what it was sent) and must appear nowhere in the raw history, read straight from the
 * server's gRPC API without any codec; decrypted with the codec, the message is all there.
 */
const MARKER = `MRKfail${randomBytes(5).toString('hex')}`;
let h: Harness;
let model: FakeInferenceServer;

beforeAll(async () => {
  model = await startFakeInferenceServer();
  h = await startHarness({ env: { INFERENCE_URL: model.url } });
});
afterAll(async () => {
  await h?.stop();
  await model?.close();
});

/** The history exactly as the server stores it: the raw gRPC answer, no data converter in between. */
async function rawHistory(workflowId: string): Promise<proto.api.history.v1.IHistoryEvent[]> {
  const res = await h.temporal.connection.workflowService.getWorkflowExecutionHistory({
    namespace: h.config.TEMPORAL_NAMESPACE,
    execution: { workflowId },
  });
  return res.history?.events ?? [];
}

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

/** The encrypted attributes of a failure, decrypted with the service's codec: `{ message, stack_trace }`. */
async function decryptedAttributes(encoded: Payload): Promise<{ message: string; stack_trace: string }> {
  expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
  const [plain] = await h.codec.decode([encoded]);
  return JSON.parse(text(plain!.data)) as { message: string; stack_trace: string };
}

describe('failures in Temporal history', () => {
  it('an activity failure quoting a marker: "Encoded failure" in clear, the message only inside the encrypted payload', async () => {
    // A model server that rejects the photo and quotes the request in its error, as some do.
    model.rawNext(400, JSON.stringify({ error: `cannot classify input labelled ${MARKER}` }), 'application/json');
    const token = await h.token(h.newUser());
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(await photo('jpeg'))], { type: 'image/jpeg' }), 'lunch.jpg');
    const res = await h.call('POST', '/v1/meals', { token, form });
    expect(res.status).toBe(202);
    const { mealId, workflowId } = res.json as { mealId: string; workflowId: string };

    // The rejection is final (4xx): the optional recognize step fails and the meal asks the person instead.
    const meal = await eventually(async () => {
      const r = await h.call('GET', `/v1/meals/${mealId}`, { token });
      return r.json.status === 'needs_input' ? r.json : undefined;
    }, 60_000);
    // Workflow code still reads the whole message (the converter decodes it inside the sandbox).
    const recognize = (meal.steps as { name: string; error?: string }[]).find((s) => s.name === 'recognize');
    expect(recognize?.error).toContain(MARKER);

    const events = await rawHistory(workflowId);
    const failed = events.filter((e) => e.activityTaskFailedEventAttributes);
    expect(failed.length).toBe(1);
    const failure = failed[0]!.activityTaskFailedEventAttributes!.failure!;
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace ?? '').toBe('');
    expect(failure.applicationFailureInfo?.type).toBe('InferenceRejected'); // the type stays readable
    const attrs = await decryptedAttributes(failure.encodedAttributes as Payload);
    expect(attrs.message).toContain(MARKER);

    // Nowhere in the stored history, in any field, in any encoding.
    const raw = proto.api.history.v1.History.encode({ events }).finish();
    expect(Buffer.from(raw).includes(MARKER)).toBe(false);
    expect(JSON.stringify(events)).not.toContain(MARKER);
    await h.temporal.workflow.getHandle(workflowId).cancel();
  }, 90_000);

  it('a workflow failure is encoded by the converter bundled with the workflows', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', { token, body: { description: 'xqzzy blorp', mealType: 'snack' } });
    expect(res.status).toBe(202);
    const { workflowId } = res.json as { workflowId: string };
    const err = await h.temporal.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => undefined,
        (e: unknown) => e as Error & { cause?: Error },
      );
    // The client decodes it: callers still get the reason.
    expect(err?.cause?.message).toMatch(/Meal analysis failed/);

    const events = await rawHistory(workflowId);
    const failedRun = events.find((e) => e.workflowExecutionFailedEventAttributes);
    const failure = failedRun!.workflowExecutionFailedEventAttributes!.failure!;
    expect(failure.message).toBe('Encoded failure');
    expect((await decryptedAttributes(failure.encodedAttributes as Payload)).message).toMatch(/Meal analysis failed/);
    // Every failure in the run (the estimate step's too) went through the same converter.
    const messages = events.flatMap((e) => {
      const f = e.activityTaskFailedEventAttributes?.failure ?? e.workflowExecutionFailedEventAttributes?.failure;
      return f ? [f.message] : [];
    });
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages)).toEqual(new Set(['Encoded failure']));
  }, 60_000);
});
