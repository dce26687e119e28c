import { describe, expect, it } from 'vitest';
import {
  type CrisisNotification,
  type Notifier,
  NotifyError,
  createFanoutNotifier,
  createWebhookNotifier,
  signWebhook,
  verifyWebhookSignature,
} from '../../src/adapters/notify';
import { ConfigError } from '../../src/config-error';
import { startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { SECRET, receiver, track, useNotifierReceiver } from '../support/notifier-receiver';
import { failure } from '../support/notify-failure';
import { sampleNotification } from '../support/notifications';
import { freePort } from '../support/ports';

/**
 * The webhook channel against a local receiver (signature, status codes, timeouts, credentials, configuration)
 * and the fan-out over several channels. NATS and createNotifierFromConfig: notifier-nats-and-config.test.ts.
 */
const notification = sampleNotification;

useNotifierReceiver();

// 2 s per request: far above a local receiver's answer time, so only scripted delays can trip it.
const webhook = (over: Partial<Parameters<typeof createWebhookNotifier>[0]> = {}) =>
  track(createWebhookNotifier({ url: receiver.url, secret: SECRET, timeoutMs: 2_000, ...over }));

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
