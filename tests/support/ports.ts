import fs from 'node:fs';
import net from 'node:net';

/**
 * Where the kernel's ephemeral range starts (net.ipv4.ip_local_port_range): it hands ports from there on to every
 * listen(0) and outgoing connection, including the Temporal dev server's internal services and PostgreSQL
 * clients. A port taken from that range and bound a few seconds later can be gone by then: a clean-clone run
 * failed its whole zero-config file on `listen EADDRINUSE` for the API port that way. Ports below it are only
 * ever taken by a process that names them.
 */
function ephemeralStart(): number {
  try {
    const start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST + 1_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

/** Above the well-known and registered ports this machine's services use (PostgreSQL, Redis, NATS, ...). */
const LOWEST = 20_000;
/** Never hand the same port out twice in one process, even once it is free again. */
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A TCP port free right now on 127.0.0.1, outside the kernel's ephemeral range, not handed out before. */
export async function freePort(): Promise<number> {
  const end = ephemeralStart();
  for (let tries = 0; tries < 200; tries++) {
    const port = LOWEST + Math.floor(Math.random() * (end - LOWEST));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${end} after 200 tries`);
}
