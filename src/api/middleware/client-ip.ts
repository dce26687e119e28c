import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The limiter key for an address: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64. One
 * subscriber usually holds a whole /64 and can rotate through it freely, so per-address IPv6 keys would not
 * limit anything. Returns undefined for anything that is not an IP address.
 */
export function ipKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip); // "[::1]:443"
  if (bracketed) ip = bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(ip); // "1.2.3.4:5678" (some proxies add the port)
  if (v4WithPort) ip = v4WithPort[1]!;
  ip = ip.replace(/%.*$/, ''); // zone id: fe80::1%eth0
  if (/^::ffff:/i.test(ip) && isIPv4(ip.slice(7))) ip = ip.slice(7);
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return undefined;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const groups = (s: string) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The client address. X-Forwarded-For is client-writable, so it is read only when TRUST_PROXY says a proxy
 * in front sets it (and that proxy must overwrite, not append to, a client-sent header: we take the first
 * entry). Without a socket (app.request() in tests) and without a trusted header, all such requests share
 * the key 'unknown'.
 */
export function clientIp(input: {
  trustProxy: boolean;
  forwardedFor?: string | undefined;
  socketAddress?: string | undefined;
}): string {
  if (input.trustProxy && input.forwardedFor) {
    const first = ipKey(input.forwardedFor.split(',')[0]);
    if (first) return first;
  }
  return ipKey(input.socketAddress) ?? 'unknown';
}

/** The client address of a request (see `clientIp`). */
export function clientIpOf(c: Context, trustProxy: boolean): string {
  return clientIp({ trustProxy, forwardedFor: c.req.header('X-Forwarded-For'), socketAddress: socketAddress(c) });
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address; // throws without a Node socket (c.env is undefined under app.request())
  } catch {
    return undefined;
  }
}
