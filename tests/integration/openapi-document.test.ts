import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEnvelope } from '../support/envelope';
import { type Harness, startHarness } from '../support/harness';

/**
 * The OpenAPI document says what the API really does (the fuzz gate, fuzz.test.ts, checks it against live
 * answers; these are the fixes it found, each pinned by a direct test): the error responses each operation's
 * traits imply, the event objects of the run stream, and the answers the fuzzer found wrong.
 */

let h: Harness;
let spec: any;
beforeAll(async () => {
  h = await startHarness({ workers: false });
  spec = (await h.call('GET', '/openapi.json')).json;
});
afterAll(async () => {
  await h?.stop();
});

const operations = () =>
  Object.entries<Record<string, any>>(spec.paths).flatMap(([path, ops]) =>
    Object.entries<any>(ops).map(([method, op]) => ({ path, method, op, name: `${method.toUpperCase()} ${path}` })),
  );

describe('error responses derived from route traits', () => {
  it('every operation declares the errors its traits imply, all in the Error envelope', () => {
    const missing: string[] = [];
    const expectStatus = (name: string, op: any, status: number) => {
      if (!op.responses?.[status]) missing.push(`${name} ${status}`);
    };
    for (const { path, op, name } of operations()) {
      const params: any[] = op.parameters ?? [];
      if (op.security?.length) for (const s of [401, 503]) expectStatus(name, op, s);
      if (op.requestBody) for (const s of [400, 413, 415, 422]) expectStatus(name, op, s);
      if (params.some((p) => p.in === 'path')) expectStatus(name, op, 404);
      if (params.length > 0) expectStatus(name, op, 422);
      if (path.startsWith('/v1/')) expectStatus(name, op, 429);
      // The API's errors use the envelope (health probes answer 503 with their own report instead).
      if (/^\/(v1|codec)\//.test(path))
        for (const [status, res] of Object.entries<any>(op.responses))
          if (Number(status) >= 400 && res.content)
            expect(res.content['application/json']?.schema, `${name} ${status}`).toEqual({
              $ref: '#/components/schemas/Error',
            });
    }
    expect(missing).toEqual([]);
    // A role checked first is a declared 403; the rate limit's 429 says when to retry.
    expect(spec.paths['/v1/queues'].get.responses['403']).toBeDefined();
    expect(spec.paths['/v1/meals'].post.responses['429'].headers['Retry-After']).toBeDefined();
    // Monitoring routes are not rate limited and need no token.
    expect(spec.paths['/health'].get.responses['429']).toBeUndefined();
    expect(spec.paths['/health'].get.responses['401']).toBeUndefined();
  });
});

describe('run event stream', () => {
  it('declares each event object, and a real stream matches it', async () => {
    const media = spec.paths['/v1/workflows/{workflowId}/events'].get.responses['200'].content['text/event-stream'];
    const eventSchema = media.schema.$ref ? spec.components.schemas.RunStreamEvent : media.schema;
    expect(eventSchema.properties.event.enum).toEqual(expect.arrayContaining(['run.started', 'run.finished', 'error']));
    const ajv = new Ajv2020({ strict: false });
    const validEvent = ajv.compile(eventSchema);
    const validData = ajv.compile(eventSchema.properties.data.contentSchema);

    // A real run, closed so its stream ends: a meal start, then terminated (no workers in this file).
    const userId = h.newUser();
    const token = await h.token(userId);
    const started = await h.call('POST', '/v1/meals', { token, body: { description: 'a bowl of porridge' } });
    expect(started.status).toBe(202);
    await h.temporal.workflow.getHandle(started.json.workflowId).terminate('test: close the run');
    const stream = await h.call('GET', `/v1/workflows/${started.json.workflowId}/events`, { token });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = stream.text
      .split('\n\n')
      .map((block) => {
        const ev: Record<string, string> = {};
        for (const line of block.split('\n')) {
          const m = /^(id|event|data): ?(.*)$/.exec(line);
          if (m) ev[m[1]!] = m[2]!;
        }
        return ev;
      })
      .filter((ev) => ev.event);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['run.started', 'run.finished']));
    for (const ev of events) {
      expect(validEvent(ev), JSON.stringify(validEvent.errors)).toBe(true);
      expect(validData(JSON.parse(ev.data!)), JSON.stringify(validData.errors)).toBe(true);
    }
  });
});

describe('answers the fuzzer found wrong', () => {
  it('a literal path allows only its own methods (/v1/meals/batch is not a meal id)', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('OPTIONS', '/v1/meals/batch', { token });
    expectEnvelope(res, 405, 'validation', 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('POST');
    // A templated path still allows what its routes answer.
    expect((await h.call('DELETE', `/v1/meals/${randomUUID()}`, { token })).headers.get('allow')).toBe('GET, HEAD');
  });

  it('a run-list cursor the API did not issue is a 422, one it issued pages on', async () => {
    const userId = h.newUser();
    const token = await h.token(userId);
    for (const description of ['toast', 'an apple'])
      expect((await h.call('POST', '/v1/meals', { token, body: { description } })).status).toBe(202);
    const first = await h.call('GET', '/v1/workflows?limit=1', { token });
    expect(first.status).toBe(200);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await h.call('GET', `/v1/workflows?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`, {
      token,
    });
    expect(second.status).toBe(200);
    expect(second.json.items).toHaveLength(1);
    expect(second.json.items[0].workflowId).not.toBe(first.json.items[0].workflowId);
    // Made up (Temporal would answer UNKNOWN, retried until the deadline: it was a 503), or tampered with.
    const tampered = `A${first.json.nextCursor.slice(1)}`;
    for (const cursor of ['0'.repeat(3000), 'AAAA', tampered])
      expectEnvelope(
        await h.call('GET', `/v1/workflows?cursor=${cursor}`, { token }),
        422,
        'validation',
        'invalid_cursor',
      );
  });

  it('a journal text of only spaces is refused, and the document says so', async () => {
    const token = await h.token(h.newUser());
    expectEnvelope(await h.call('POST', '/v1/journal-entries', { token, body: { text: '  \n ' } }), 422, 'validation');
    expect(new RegExp(spec.components.schemas.JournalEntry.properties.text.pattern).test('  \n ')).toBe(false);
    expect(new RegExp(spec.components.schemas.JournalEntry.properties.text.pattern).test(' a day ')).toBe(true);
  });

  it('routines: analytics answer, a NUL in an inbox id is a 422, a task id that is no UUID is a 404', async () => {
    const token = await h.token(h.newUser());
    const analytics = await h.call('GET', '/v1/tasks/analytics?days=364', { token });
    expect(analytics.status, analytics.text).toBe(200);
    expect(analytics.json.days).toBe(364);
    expectEnvelope(
      await h.call('POST', '/v1/me/inbox/read', { token, body: { ids: ['a\u0000b'] } }),
      422,
      'validation',
    );
    // Without a body every unread message is marked read (the document says the body is optional).
    expect((await h.call('POST', '/v1/me/inbox/read', { token })).status).toBe(200);
    expect(spec.paths['/v1/me/inbox/read'].post.requestBody.required).toBe(false);
    expectEnvelope(await h.call('DELETE', '/v1/tasks/u-not-a-uuid', { token }), 404, 'not_found');
  });
});
