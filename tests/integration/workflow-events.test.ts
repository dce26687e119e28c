import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MEAL_ANALYSIS_STEPS } from '../../src/contracts/meal-analysis.policy';
import { type FakeInferenceServer, startFakeInferenceServer } from '../support/fake-inference-server';
import { type Harness, startHarness } from '../support/harness';

/** Live step progress as server-sent events from real runs: order, retries, input waits, resume, cancel. */
let h: Harness;
let model: FakeInferenceServer;
beforeAll(async () => {
  model = await startFakeInferenceServer();
  h = await startHarness({ env: { INFERENCE_URL: model.url, INFERENCE_TIMEOUT_MS: '1000' } });
});
afterAll(async () => {
  await h?.stop();
  await model?.close();
});
beforeEach(() => {
  model.defaultItems = [{ label: 'banana', confidence: 0.91 }];
});

interface Sse {
  id?: string;
  event: string;
  data: any;
}

/** Reads a text/event-stream response until it ends (or `stopWhen` says so, then cancels the body). */
async function readEvents(
  res: Response,
  opts: { stopWhen?: (e: Sse[]) => boolean; timeoutMs?: number } = {},
): Promise<{ events: Sse[]; ended: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buffer = '';
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  while (Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), Math.max(1, deadline - Date.now()))),
    ]);
    if (chunk === 'timeout') break;
    if (chunk.done) return { events, ended: true };
    buffer += decoder.decode(chunk.value, { stream: true });
    let sep: number;
    while ((sep = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, sep);
      buffer = buffer.slice(sep + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => l && !l.startsWith(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
      );
      if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
    }
    if (opts.stopWhen?.(events)) {
      await reader.cancel();
      return { events, ended: false };
    }
  }
  await reader.cancel();
  return { events, ended: false };
}

const stream = (workflowId: string, token: string, headers: Record<string, string> = {}) =>
  h.app.request(`/v1/workflows/${workflowId}/events`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
const photo = async () => {
  const form = new FormData();
  form.set(
    'image',
    new Blob(
      [
        new Uint8Array(
          await sharp({ create: { width: 320, height: 240, channels: 3, background: '#e9c46a' } })
            .jpeg()
            .toBuffer(),
        ),
      ],
      { type: 'image/jpeg' },
    ),
    'meal.jpg',
  );
  return form;
};

describe('GET /v1/workflows/{id}/events', () => {
  it('streams a meal analysis step by step, with retries, and closes when the run completes; resumes after Last-Event-ID', async () => {
    const token = await h.token(h.newUser());
    model.failNext(2, 503);
    const started = await h.call('POST', '/v1/meals', { token, form: await photo() });
    expect(started.status).toBe(202);
    const res = await stream(started.json.workflowId, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const { events, ended } = await readEvents(res);
    expect(ended).toBe(true);

    expect(events[0]!.event).toBe('run.started');
    expect(events.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'completed' } });
    const steps = (kind: string) => events.filter((e) => e.event === kind).map((e) => e.data.step);
    // A regular activity has a start and an end in history; a local one is one marker, so only its end is seen.
    const isLocal = (step: string) => MEAL_ANALYSIS_STEPS[step as keyof typeof MEAL_ANALYSIS_STEPS]?.local === true;
    const ran = ['load', 'preprocess', 'recognize', 'estimate', 'feedback', 'record', 'close'];
    expect(steps('step.started').sort()).toEqual(ran.filter((s) => !isLocal(s)).sort());
    expect(steps('step.completed')).toEqual(expect.arrayContaining(ran));
    for (const e of events.filter((x) => x.event === 'step.completed'))
      expect(Boolean(e.data.local), `${e.data.step} local`).toBe(isLocal(e.data.step));
    // Each regular step starts before it completes.
    for (const s of steps('step.completed').filter((x) => !isLocal(x))) {
      expect(events.findIndex((e) => e.event === 'step.started' && e.data.step === s)).toBeLessThan(
        events.findIndex((e) => e.event === 'step.completed' && e.data.step === s),
      );
    }
    const retries = events.filter((e) => e.event === 'step.retried');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]!.data).toMatchObject({ step: 'recognize' });
    expect(retries[0]!.data.attempt).toBeGreaterThanOrEqual(2);
    // Ids only grow, so a client can resume from any of them.
    const ids = events.map((e) => e.id!.split('.').map(Number));
    for (let i = 1; i < ids.length; i++)
      expect(
        ids[i]![0]! > ids[i - 1]![0]! || (ids[i]![0] === ids[i - 1]![0] && ids[i]![1]! > (ids[i - 1]![1] ?? 0)),
      ).toBe(true);

    // Resume: everything after the 4th event, and nothing before it (a finished run replays from history).
    const resumed = await readEvents(await stream(started.json.workflowId, token, { 'Last-Event-ID': events[3]!.id! }));
    const history = events.filter((e) => e.event !== 'step.retried');
    expect(resumed.ended).toBe(true);
    expect(resumed.events.map((e) => e.id)).toEqual(history.slice(history.indexOf(events[3]!) + 1).map((e) => e.id));
  }, 60_000);

  it('reports waiting for input, and closes cleanly when the run is cancelled', async () => {
    const token = await h.token(h.newUser());
    model.defaultItems = [{ label: 'plate', confidence: 0.1 }]; // nothing recognisable: the meal asks the person
    const started = await h.call('POST', '/v1/meals', { token, form: await photo() });
    const res = await stream(started.json.workflowId, token);
    const waiting = await readEvents(res, { stopWhen: (ev) => ev.some((e) => e.event === 'input.waiting') });
    expect(waiting.events.some((e) => e.event === 'input.waiting')).toBe(true);

    const resumeFrom = waiting.events.at(-1)!.id!;
    const following = stream(started.json.workflowId, token, { 'Last-Event-ID': resumeFrom });
    expect((await h.call('POST', `/v1/workflows/${started.json.workflowId}/cancel`, { token })).status).toBe(202);
    const rest = await readEvents(await following);
    expect(rest.ended).toBe(true);
    expect(rest.events.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'cancelled' } });
    expect(rest.events.some((e) => e.id === resumeFrom)).toBe(false);
  }, 60_000);

  it("answers another person's run with the 404 envelope, before any stream opens", async () => {
    const owner = await h.token(h.newUser());
    const started = await h.call('POST', '/v1/meals', { token: owner, body: { description: 'an apple' } });
    const res = await stream(started.json.workflowId, await h.token(h.newUser()));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { category: string } }).error.category).toBe('not_found');
    expect((await h.app.request(`/v1/workflows/${started.json.workflowId}/events`)).status).toBe(401);
  });
});
