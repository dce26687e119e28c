import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { App } from './types';

export type HttpServer = ReturnType<typeof serve>;

/** Serves `app` on host:port (0: any free port); resolves once it listens, with the port it got. */
export async function listen(app: App, port: number, host: string): Promise<{ server: HttpServer; url: string }> {
  const server = await new Promise<HttpServer>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}` };
}
