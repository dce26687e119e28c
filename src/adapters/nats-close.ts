import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Closes a lazily opened NATS connection for shutdown. Drain delivers what is buffered but needs a live
 * server, so it is bounded by `timeoutMs`: shutdown never hangs on a dead NATS; then the connection is closed outright.
 */
export async function closeNatsConnection(connection: Promise<NatsConnection> | undefined, timeoutMs: number): Promise<void> {
  const nc = connection && (await connection.catch(() => undefined));
  if (!nc) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([nc.drain().catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
  if (!nc.isClosed()) await nc.close().catch(() => {});
}
