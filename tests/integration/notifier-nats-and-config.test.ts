import net from 'node:net';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CRISIS_EVENTS,
  type CrisisNotification,
  NOTIFICATION_FIELDS,
  createLogNotifier,
  createNatsNotifier,
  createNotifierFromConfig,
  natsSubjectFor,
  serializeNotification,
} from '../../src/adapters/notify';
import { ConfigError } from '../../src/config-error';
import { createLogger } from '../../src/logger';
import { logLineSink } from '../support/log-lines';
import { SECRET, receiver, track, useNotifierReceiver } from '../support/notifier-receiver';
import { failure } from '../support/notify-failure';
import { sampleNotification } from '../support/notifications';
import { freePort } from '../support/ports';

/**
 * The NATS channel against the local server (subjects, one lazy connection, stalls, an unreachable server) and the
 * notifier createNotifierFromConfig builds (log, webhook and NATS together; only the allowed fields leave).
 * The webhook channel and the fan-out: notifier-webhook-fanout.test.ts.
 */
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

useNotifierReceiver();

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

/** A pino logger writing JSON lines into an array. */
function capturingLogger() {
  const { stream, lines } = logLineSink();
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
