import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/adapters/notify';

/**
 * A real HTTP server standing in for a staff-alerting webhook receiver, to test the webhook notifier over a
 * socket. It verifies every request's signature with verifyWebhookSignature (as a real receiver would),
 * records it, and dedupes by Idempotency-Key: a repeated key is answered 200 (already have it) and counted
 * in `duplicates`, not added to `deliveries` again.
 *
 * Faults, consumed one per request in order: `failNext(n, status)` answers the next n requests with that
 * status (with optional headers, e.g. Retry-After); `delayNext(n, ms)` holds the next n answers for ms
 * (a hung receiver, for timeouts). Faulted requests are recorded in `requests` but are not deliveries.
 * With `rejectInvalidSignatures` (default true) a bad signature gets 401.
 */

export interface RecordedWebhookRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body as received. */
  raw: string;
  /** Parsed JSON body, or undefined when it is not JSON. */
  body: unknown;
  signatureValid: boolean;
  /** What the receiver answered. */
  status: number;
}

type Fault = { kind: 'status'; status: number; headers: Record<string, string> } | { kind: 'delay'; ms: number };

export interface FakeWebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks/crisis` */
  readonly url: string;
  readonly port: number;
  readonly secret: string;
  /** Every request, faulted or not, in arrival order. */
  readonly requests: RecordedWebhookRequest[];
  /** First accepted delivery per Idempotency-Key. */
  readonly deliveries: RecordedWebhookRequest[];
  /** Accepted requests whose Idempotency-Key had already been delivered. */
  readonly duplicates: number;
  rejectInvalidSignatures: boolean;
  failNext(n: number, status: number, headers?: Record<string, string>): void;
  delayNext(n: number, ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeWebhookReceiver(opts: { secret: string; path?: string }): Promise<FakeWebhookReceiver> {
  const path = opts.path ?? '/hooks/crisis';
  const requests: RecordedWebhookRequest[] = [];
  const deliveries: RecordedWebhookRequest[] = [];
  const seen = new Set<string>();
  const faults: Fault[] = [];
  const pending = new Set<NodeJS.Timeout>();
  let duplicates = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const signatureValid = verifyWebhookSignature(
        opts.secret,
        header('x-wellflow-timestamp'),
        raw,
        header('x-wellflow-signature'),
      );
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      const record: RecordedWebhookRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw: raw.toString('utf8'),
        body,
        signatureValid,
        status: 0,
      };
      requests.push(record);
      const answer = (status: number, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ status }));
      };

      const fault = faults.shift();
      if (fault?.kind === 'status') return answer(fault.status, fault.headers);
      const respond = () => {
        if (req.method !== 'POST' || record.path !== path) return answer(404);
        if (!signatureValid && receiver.rejectInvalidSignatures) return answer(401);
        const key = header('idempotency-key');
        if (key && seen.has(key)) {
          duplicates++;
          return answer(200);
        }
        if (key) seen.add(key);
        deliveries.push(record);
        answer(200);
      };
      if (fault?.kind === 'delay') {
        const t = setTimeout(() => {
          pending.delete(t);
          respond(); // the client may have given up; a late answer is what a slow receiver sends
        }, fault.ms);
        pending.add(t);
      } else {
        respond();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const receiver: FakeWebhookReceiver = {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    secret: opts.secret,
    requests,
    deliveries,
    get duplicates() {
      return duplicates;
    },
    rejectInvalidSignatures: true,
    failNext(n, status, headers = {}) {
      for (let i = 0; i < n; i++) faults.push({ kind: 'status', status, headers });
    },
    delayNext(n, ms) {
      for (let i = 0; i < n; i++) faults.push({ kind: 'delay', ms });
    },
    reset() {
      requests.length = 0;
      deliveries.length = 0;
      seen.clear();
      faults.length = 0;
      duplicates = 0;
      receiver.rejectInvalidSignatures = true;
    },
    async close() {
      for (const t of pending) clearTimeout(t);
      pending.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
