import net from 'node:net';
import { Writable } from 'node:stream';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CRISIS_EVENTS,
  type CrisisNotification,
  NOTIFICATION_FIELDS,
  type Notifier,
  NotifyError,
  createFanoutNotifier,
  createLogNotifier,
  createNatsNotifier,
  createNotifierFromConfig,
  createWebhookNotifier,
  natsSubjectFor,
  serializeNotification,
  signWebhook,
  verifyWebhookSignature,
} from '../../src/adapters/notify';
import { ConfigError } from '../../src/config-error';
import { createLogger } from '../../src/logger';
import { type FakeWebhookReceiver, startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { sampleNotification } from '../support/notifications';
import { freePort } from '../support/ports';

const SECRET = 'whsec_test_0123456789abcdef';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ALLOWED = new Set<string>(NOTIFICATION_FIELDS);
const quiet = createLogger('silent');

const notification = sampleNotification;

/** A notification object carrying what a careless caller might pass along: it must never leave the process. */
function poisoned(): CrisisNotification {
  return Object.assign(notification(), {
    text: 'JOURNAL-TEXT-MUST-NOT-LEAK',
    journal: { entry: 'JOURNAL-TEXT-MUST-NOT-LEAK' },
    description: 'JOURNAL-TEXT-MUST-NOT-LEAK',
  });
}

async function failure(p: Promise<unknown>): Promise<NotifyError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NotifyError);
    return err as NotifyError;
  }
  throw new Error('expected a NotifyError');
}

let receiver: FakeWebhookReceiver;
const opened: Notifier[] = [];
const track = <T extends Notifier>(n: T): T => (opened.push(n), n);
// 2 s per request: far above a local receiver's answer time, so only scripted delays can trip it.
const webhook = (over: Partial<Parameters<typeof createWebhookNotifier>[0]> = {}) =>
  track(createWebhookNotifier({ url: receiver.url, secret: SECRET, timeoutMs: 2_000, ...over }));

beforeAll(async () => {
  receiver = await startFakeWebhookReceiver({ secret: SECRET });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((n) => n.close()));
  receiver.reset();
});
afterAll(() => receiver.close());

describe('webhook notifier', () => {
  it('POSTs the notification, signed, with event and idempotency headers', async () => {
    const n = notification();
    await webhook().notify(n);
    expect(receiver.deliveries).toHaveLength(1);
    const d = receiver.deliveries[0]!;
    expect(d.method).toBe('POST');
    expect(d.signatureValid).toBe(true);
    expect(d.body).toEqual(n);
    expect(d.headers['x-wellflow-event']).toBe('case.escalated');
    expect(d.headers['idempotency-key']).toBe(n.notificationId);
    expect(d.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(d.headers['x-wellflow-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(d.headers['x-wellflow-signature']).toBe(
      signWebhook(SECRET, d.headers['x-wellflow-timestamp'] as string, d.raw),
    );
  });

  it('verifyWebhookSignature rejects a tampered body, a wrong secret, stale or future timestamps and junk', async () => {
    await webhook().notify(notification());
    const { raw, headers } = receiver.deliveries[0]!;
    const ts = headers['x-wellflow-timestamp'] as string;
    const sig = headers['x-wellflow-signature'] as string;
    const at = Number(ts) * 1000;
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, { now: at })).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, Buffer.from(raw), sig, { now: at })).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, raw.replace('"level":1', '"level":2'), sig, { now: at })).toBe(false);
    expect(verifyWebhookSignature('another-secret', ts, raw, sig, { now: at })).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(Number(ts) + 1), raw, sig, { now: at })).toBe(false); // timestamp is signed
    // Replay window: 300 s by default, configurable.
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, { now: at + 300_000 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, { now: at + 301_000 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, { now: at - 301_000 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, { now: at + 61_000, toleranceSec: 60 })).toBe(false);
    for (const bad of ['', 'sha256=', sig.slice(0, -2), sig.replace('sha256=', 'sha1='), `${sig}00`, 'sha256=zz']) {
      expect(verifyWebhookSignature(SECRET, ts, raw, bad, { now: at })).toBe(false);
    }
    expect(verifyWebhookSignature(SECRET, 'yesterday', raw, sig, { now: at })).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, raw, sig, { now: at })).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, undefined, { now: at })).toBe(false);
  });

  it('a stale clock or a wrong secret is refused by the receiver (401, not retryable)', async () => {
    for (const w of [webhook({ now: () => Date.now() - 600_000 }), webhook({ secret: 'wrong-secret' })]) {
      const err = await failure(w.notify(notification()));
      expect(err).toMatchObject({ code: 'unauthorized', status: 401, retryable: false, channel: 'webhook' });
    }
    expect(receiver.requests.map((r) => r.signatureValid)).toEqual([false, false]);
    expect(receiver.deliveries).toHaveLength(0);
  });

  it.each([
    [503, 'server_error', true],
    [500, 'server_error', true],
    [429, 'rate_limited', true],
    [400, 'rejected', false],
    [404, 'rejected', false],
    [422, 'rejected', false],
  ] as const)('HTTP %i → %s, retryable=%s', async (status, code, retryable) => {
    receiver.failNext(1, status);
    const err = await failure(webhook().notify(notification()));
    expect(err).toMatchObject({ code, status, retryable });
    expect(err.message).toContain(`answered ${status}`);
  });

  it('reads Retry-After on 503 and 429', async () => {
    receiver.failNext(1, 503, { 'retry-after': '7' });
    expect((await failure(webhook().notify(notification()))).retryAfterMs).toBe(7_000);
    receiver.failNext(1, 429, { 'retry-after': '2' });
    expect((await failure(webhook().notify(notification()))).retryAfterMs).toBe(2_000);
  });

  it('does not follow redirects (a configuration error, not retryable)', async () => {
    receiver.failNext(1, 302, { location: 'http://127.0.0.1:9/elsewhere' });
    const err = await failure(webhook().notify(notification()));
    expect(err).toMatchObject({ code: 'redirect', status: 302, retryable: false });
    expect(receiver.requests).toHaveLength(1);
  });

  it('a receiver that does not answer in time → retryable timeout', async () => {
    // The receiver holds its answer 1.5 s; the client allows 300 ms, so the timeout, not the answer, decides.
    receiver.delayNext(1, 1_500);
    const started = Date.now();
    const err = await failure(webhook({ timeoutMs: 300 }).notify(notification()));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('a refused connection → retryable unavailable', async () => {
    const port = await freePort(); // nothing listens there
    const err = await failure(webhook({ url: `http://127.0.0.1:${port}/hook` }).notify(notification()));
    expect(err).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('sends URL credentials as Basic auth and keeps them, the secret, path and query out of errors', async () => {
    const url = new URL(receiver.url);
    url.username = 'hookuser';
    url.password = 'hunter2-pass';
    url.search = '?token=query-token-xyz';
    receiver.failNext(1, 500);
    const err = await failure(webhook({ url: url.toString() }).notify(notification()));
    const auth = receiver.requests[0]!.headers.authorization;
    expect(auth).toBe(`Basic ${Buffer.from('hookuser:hunter2-pass').toString('base64')}`);
    for (const secret of ['hookuser', 'hunter2-pass', 'query-token-xyz', SECRET, '/hooks/crisis']) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err)).not.toContain(secret);
    }
    expect(err.message).toContain(`127.0.0.1:${receiver.port}`);
  });

  it('rejects bad configuration at construction, without echoing the URL', () => {
    expect(() => createWebhookNotifier({ url: receiver.url, secret: '' })).toThrow(ConfigError);
    expect(() => createWebhookNotifier({ url: 'ftp://user:pw@host/x', secret: SECRET })).toThrow(
      /unsupported protocol/,
    );
    try {
      createWebhookNotifier({ url: 'not a url user:pw-secret', secret: SECRET });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).not.toContain('pw-secret');
    }
  });
});

describe('NATS notifier', () => {
  let sub: NatsConnection;
  let subscription: Subscription;
  const received: Msg[] = [];

  beforeAll(async () => {
    // 5 s: the local server answers in milliseconds; longer means it is not running, and the test should say so.
    sub = await connect({ servers: new URL(NATS_URL).host, timeout: 5_000, name: 'notifier-test' });
    subscription = sub.subscribe('wellflow.crisis.>', { callback: (err, msg) => void (err ?? received.push(msg)) });
    await sub.flush(); // the subscription is registered before anything is published
  });
  afterAll(async () => {
    subscription.unsubscribe();
    await sub.drain();
  });

  /** The message carrying `id`, once it arrives. */
  async function receivedFor(id: string): Promise<Msg> {
    // 3 s: a local publish reaches the subscriber in milliseconds; this only bounds a failing test.
    const deadline = Date.now() + 3_000;
    for (;;) {
      const m = received.find(
        (x) => x.headers?.get('Nats-Msg-Id') === id || (x.json() as CrisisNotification).notificationId === id,
      );
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no NATS message for ${id}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('publishes to wellflow.crisis.<event> with a Nats-Msg-Id header', async () => {
    const nats = track(createNatsNotifier({ url: NATS_URL, logger: quiet }));
    const n = notification({ event: 'case.escalated' });
    await nats.notify(n);
    const msg = await receivedFor(n.notificationId);
    expect(msg.subject).toBe('wellflow.crisis.escalated');
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(n.notificationId);
    expect(msg.json()).toEqual(n);
  });

  it('opens one connection lazily and reuses it across notifications and events', async () => {
    const proxy = await startTcpProxy(new URL(NATS_URL));
    const nats = createNatsNotifier({ url: `nats://127.0.0.1:${proxy.port}`, logger: quiet });
    try {
      expect(proxy.connections).toBe(0); // nothing until the first notification
      const sent = (['case.opened', 'case.acknowledged', 'case.followup_due'] as const).map((event) =>
        notification({ event }),
      );
      await Promise.all(sent.map((n) => nats.notify(n)));
      await nats.notify(notification({ event: 'case.closed' }));
      for (const n of sent) expect((await receivedFor(n.notificationId)).subject).toBe(natsSubjectFor(n.event));
      expect(proxy.connections).toBe(1);
      await nats.close();
      await nats.notify(notification()); // after close, the next notification opens a fresh connection
      expect(proxy.connections).toBe(2);
    } finally {
      await nats.close(); // before the relay goes, or close() waits out a reconnect
      await proxy.close();
    }
  });

  it('a flush the server never confirms → retryable timeout, and the retry gets a fresh connection', async () => {
    const proxy = await startTcpProxy(new URL(NATS_URL));
    // 400 ms flush limit: the stalled relay swallows everything the server sends, so no confirmation can arrive.
    const nats = createNatsNotifier({ url: `nats://127.0.0.1:${proxy.port}`, logger: quiet, timeoutMs: 400 });
    try {
      await nats.notify(notification());
      proxy.stall(true);
      const err = await failure(nats.notify(notification()));
      expect(err).toMatchObject({ code: 'timeout', retryable: true, channel: 'nats' });
      proxy.stall(false);
      const retry = notification();
      await nats.notify(retry);
      expect(proxy.connections).toBe(2);
      expect((await receivedFor(retry.notificationId)).subject).toBe('wellflow.crisis.escalated');
    } finally {
      await nats.close();
      await proxy.close();
    }
  });

  it('maps every event to its subject', () => {
    const suffixes = [
      'opened',
      'escalated',
      'renotified',
      'acknowledged',
      'followup_due',
      'resolved',
      'closed',
      'reopened',
      'erasure_requested',
    ];
    expect(CRISIS_EVENTS.map(natsSubjectFor)).toEqual(suffixes.map((x) => `wellflow.crisis.${x}`));
  });

  it('an unreachable server → retryable NotifyError without the credentials, and a later notify tries again', async () => {
    const port = await freePort();
    // 500 ms connect limit: nothing listens, so the refusal is immediate; the limit only bounds a slow failure.
    const nats = track(
      createNatsNotifier({ url: `nats://natsuser:nats-pw-secret@127.0.0.1:${port}`, logger: quiet, timeoutMs: 500 }),
    );
    for (let i = 0; i < 2; i++) {
      const err = await failure(nats.notify(notification()));
      expect(err).toMatchObject({ code: 'unavailable', retryable: true, channel: 'nats' });
      expect(err.message).not.toContain('nats-pw-secret');
    }
  });
});

/**
 * A TCP relay in front of the NATS server: counts client connections and can stall (stop relaying the
 * server's answers), which is how a half-dead network path looks to the client.
 */
async function startTcpProxy(target: URL) {
  let connections = 0;
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(Number(target.port || 4222), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => void (stalled || client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    stall(on: boolean) {
      stalled = on;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A channel under the test's control: records what it was asked to send, fails as scripted. */
function scripted(kind: string, fail?: () => unknown): Notifier & { sent: CrisisNotification[] } {
  const sent: CrisisNotification[] = [];
  return {
    kind,
    sent,
    async notify(n) {
      sent.push(n);
      const err = fail?.();
      if (err) throw err;
    },
    async close() {},
  };
}

describe('fan-out', () => {
  it('delivers to every channel', async () => {
    const a = scripted('a');
    const b = scripted('b');
    const n = notification();
    await createFanoutNotifier([a, b]).notify(n);
    expect(a.sent).toEqual([n]);
    expect(b.sent).toEqual([n]);
  });

  it('tries every channel, then throws with per-channel detail; a retry re-sends and receivers dedupe', async () => {
    const second = await startFakeWebhookReceiver({ secret: SECRET, path: '/other' });
    try {
      const fanout = track(
        createFanoutNotifier([
          webhook(),
          track(createWebhookNotifier({ url: second.url, secret: SECRET, timeoutMs: 2_000 })),
        ]),
      );
      second.failNext(1, 503);
      const n = notification();
      const err = await failure(fanout.notify(n));
      expect(err).toMatchObject({
        code: 'partial_failure',
        channel: 'fanout',
        retryable: true,
        delivered: ['webhook'],
      });
      expect(err.failures).toEqual([
        { channel: 'webhook', code: 'server_error', retryable: true, message: expect.stringContaining('answered 503') },
      ]);
      expect(err.message).toMatch(/^1 of 2 notification channels failed: webhook \(server_error, retryable\)/);
      expect(receiver.deliveries).toHaveLength(1);

      await fanout.notify(n); // the activity's retry
      expect(second.deliveries).toHaveLength(1);
      expect(receiver.requests).toHaveLength(2); // re-sent to the channel that had already succeeded…
      expect(receiver.deliveries).toHaveLength(1); // …which recognises it by Idempotency-Key
      expect(receiver.duplicates).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('is retryable if any failure is; not retryable if none is', async () => {
    const permanent = () => new NotifyError('rejected', 'bad payload', { channel: 'x' });
    const transient = () => new NotifyError('server_error', 'down', { channel: 'y', retryAfterMs: 4_000 });
    const onlyPermanent = await failure(
      createFanoutNotifier([scripted('x', permanent), scripted('ok')]).notify(notification()),
    );
    expect(onlyPermanent).toMatchObject({ retryable: false, delivered: ['ok'] });
    const mixed = await failure(
      createFanoutNotifier([scripted('x', permanent), scripted('y', transient)]).notify(notification()),
    );
    expect(mixed).toMatchObject({ retryable: true, retryAfterMs: 4_000, delivered: [] });
    expect(mixed.failures.map((f) => [f.channel, f.retryable])).toEqual([
      ['x', false],
      ['y', true],
    ]);
  });

  it('treats an unexpected error from a channel as retryable', async () => {
    const err = await failure(
      createFanoutNotifier([scripted('buggy', () => new TypeError('boom'))]).notify(notification()),
    );
    expect(err.failures).toEqual([{ channel: 'buggy', code: 'unavailable', retryable: true, message: 'boom' }]);
    expect(err.retryable).toBe(true);
  });

  it('does not let a slow channel delay the others', async () => {
    let fastDoneAt = 0;
    const fast: Notifier = { kind: 'fast', notify: async () => void (fastDoneAt = Date.now()), close: async () => {} };
    const slow: Notifier = {
      kind: 'slow',
      notify: () => new Promise((r) => setTimeout(r, 300)),
      close: async () => {},
    };
    const started = Date.now();
    await createFanoutNotifier([slow, fast]).notify(notification());
    expect(fastDoneAt - started).toBeLessThan(150);
  });
});

/** A pino logger writing JSON lines into an array. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('createNotifierFromConfig', () => {
  it('logs only, when nothing else is configured', async () => {
    const { logger, lines } = capturingLogger();
    const notifier = track(createNotifierFromConfig({ logger }));
    const n = notification();
    await notifier.notify(n);
    expect(notifier.kind).toBe('fanout');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ component: 'notify', notification: n, msg: 'crisis notification case.escalated' });
  });

  it('the log notifier logs ids and the link only', async () => {
    const { logger, lines } = capturingLogger();
    await createLogNotifier(logger).notify(poisoned());
    expect(JSON.stringify(lines)).not.toContain('JOURNAL-TEXT-MUST-NOT-LEAK');
  });

  it('refuses a webhook URL without a secret', () => {
    expect(() => createNotifierFromConfig({ logger: quiet, webhookUrl: 'https://u:p-secret@hooks.example/x' })).toThrow(
      ConfigError,
    );
  });

  it('log + webhook + NATS: every channel gets it, and none carries anything but the allowed fields', async () => {
    const { logger, lines } = capturingLogger();
    const nc = await connect({ servers: new URL(NATS_URL).host, timeout: 5_000 }); // 5 s: see the NATS suite
    const msgs: Msg[] = [];
    const s = nc.subscribe('wellflow.crisis.>', { callback: (err, m) => void (err ?? msgs.push(m)) });
    await nc.flush();
    try {
      const notifier = track(
        createNotifierFromConfig({ logger, webhookUrl: receiver.url, webhookSecret: SECRET, natsUrl: NATS_URL }),
      );
      const n = poisoned();
      await notifier.notify(n);
      await nc.flush(); // the message published before this round-trip has reached our subscription
      const onNats = msgs.find((m) => m.headers?.get('Nats-Msg-Id') === n.notificationId);
      expect(onNats).toBeDefined();
      const wire = [
        receiver.deliveries[0]!.raw,
        onNats!.string(),
        JSON.stringify(lines[0]!.notification),
        serializeNotification(n),
      ];
      for (const text of wire) {
        expect(text).not.toContain('JOURNAL-TEXT-MUST-NOT-LEAK');
        const keys = Object.keys(JSON.parse(text) as object);
        expect(keys.filter((k) => !ALLOWED.has(k))).toEqual([]);
        expect(keys.sort()).toEqual([...ALLOWED].sort());
      }
      expect(receiver.deliveries[0]!.signatureValid).toBe(true);
    } finally {
      s.unsubscribe();
      await nc.drain();
    }
  });

  it('omits ackDeadline when absent rather than sending null', () => {
    const { ackDeadline: _drop, ...rest } = notification();
    expect(JSON.parse(serializeNotification(rest))).toEqual(rest);
    expect(Object.keys(JSON.parse(serializeNotification(rest)) as object)).not.toContain('ackDeadline');
  });
});
