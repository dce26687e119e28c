import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { composeServices, envOf, interpolate, ROOT, words } from './compose';
import { eventually } from './harness';

/**
 * docker-compose.yml's app services run as processes on this host, for tests/integration/topology.test.ts: each
 * gets exactly the command and environment compose gives it, with only what differs between a compose network
 * and one host replaced (service host names, the container's fixed paths, and listening ports, since every
 * process here shares one network namespace). Anything else that names a compose host fails, so a change to the
 * compose file that the substitution does not know breaks the test instead of being silently ignored.
 */

/** Where this host's parts are: what the compose network's `postgresql`, `temporal`, `nats`, `redis` become. */
export interface HostParts {
  databaseUrl: string;
  temporalAddress: string;
  natsUrl: string;
  redisUrl: string;
  /** The `wellflow-data` volume: one folder shared by the API and the workers. */
  dataDir: string;
  /** What the Dockerfile's `wellflow bundle` step builds into /app/dist. */
  bundlePath: string;
  /** What the operator exports before `docker compose up` (JWT_SECRET, WELLFLOW_ENCRYPTION_KEY). */
  hostEnv: Record<string, string>;
}

/** Listening ports of one process (in a container each process has the image's fixed ones). */
export interface ProcessPorts {
  PORT?: number;
  OPS_PORT?: number;
  WORKER_METRICS_PORT?: number;
}

/** The value compose has, and what it becomes here; the compose value must be exactly `from`. */
function substitutions(parts: HostParts): Record<string, { from: string; to: string }> {
  return {
    DATABASE_URL: { from: 'postgres://wellflow:wellflow@postgresql:5432/wellflow', to: parts.databaseUrl },
    TEMPORAL_ADDRESS: { from: 'temporal:7233', to: parts.temporalAddress },
    NATS_URL: { from: 'nats://nats:4222', to: parts.natsUrl },
    REDIS_URL: { from: 'redis://redis:6379', to: parts.redisUrl },
    WELLFLOW_DATA_DIR: { from: '/data', to: parts.dataDir },
    WELLFLOW_WORKFLOW_BUNDLE: { from: '/app/dist/workflow-bundle.js', to: parts.bundlePath },
    // In a container every interface is the container's own; here they would be this host's.
    HOST: { from: '0.0.0.0', to: '127.0.0.1' },
    OPS_HOST: { from: '0.0.0.0', to: '127.0.0.1' },
  };
}

/** The environment compose gives `service`, made to run on this host (see the module comment). */
export function serviceEnv(
  service: string,
  parts: HostParts,
  ports: ProcessPorts = {},
  services = composeServices(),
): Record<string, string> {
  const s = services[service];
  if (!s) throw new Error(`docker-compose.yml has no service ${service}`);
  const env = Object.fromEntries(Object.entries(envOf(s)).map(([k, v]) => [k, interpolate(v, parts.hostEnv)] as const));
  for (const [name, { from, to }] of Object.entries(substitutions(parts))) {
    if (env[name] === undefined) continue;
    if (env[name] !== from)
      throw new Error(`${service}: ${name} is ${env[name]} in docker-compose.yml; the topology test expects ${from}`);
    env[name] = to;
  }
  for (const [name, port] of Object.entries(ports)) if (port !== undefined) env[name] = String(port);
  // Nothing may still point into the compose network.
  const hosts = Object.keys(services).map((h) => h.replace(/[-]/g, '\\-'));
  const networkHost = new RegExp(`(^|//|@)(${hosts.join('|')})(:\\d+|/|$)`);
  for (const [name, value] of Object.entries(env))
    if (networkHost.test(value))
      throw new Error(`${service}: ${name}=${value} names a compose host the test does not map`);
  return env;
}

export interface WellflowProcess {
  readonly service: string;
  readonly env: Record<string, string>;
  /** stdout's JSON log lines (others as `{ text }`). */
  readonly lines: Record<string, unknown>[];
  readonly output: () => string;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, as an orchestrator stops a container; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill(): void;
}

/** Starts `service`'s compose command (`node bin/wellflow.js ...`) with `env` and only PATH and HOME besides. */
export function startService(service: string, env: Record<string, string>): WellflowProcess {
  const [program, ...args] = words(composeServices()[service]!.command);
  if (program !== 'node') throw new Error(`${service}: expected a node command, got ${program}`);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let text = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-20_000);
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts.filter((l) => l.trim())) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    service,
    env,
    lines,
    output: () => text,
    exited,
    async stop() {
      if (alive()) child.kill('SIGTERM');
      return exited;
    },
    kill: () => {
      if (alive()) child.kill('SIGKILL');
    },
  };
}

/** Runs a one-shot job (migrate, schedules-sync) to its end; throws with its output unless it exits 0. */
export async function runJob(service: string, env: Record<string, string>): Promise<string> {
  const job = startService(service, env);
  const code = await job.exited;
  if (code !== 0) throw new Error(`${service} exited ${code}: ${job.output().slice(-3000)}`);
  return job.output();
}

/** Waits until `url` answers 200 (what compose's healthcheck waits for), or the process exits. */
export async function waitHealthy(p: WellflowProcess, url: string, ms = 240_000): Promise<void> {
  const died = p.exited.then((code) => {
    throw new Error(`${p.service} exited ${code} before ${url} answered 200: ${p.output().slice(-3000)}`);
  });
  await Promise.race([eventually(async () => (await fetch(url)).status === 200, ms, 500), died]);
  died.catch(() => {});
}

export interface Answer {
  status: number;
  json: any;
  /** The base URL that answered. */
  via: string;
}

/**
 * One request through a load balancer in front of `backends`, on a new connection (no keep-alive: a reused
 * socket the server closes while draining would be a client artefact, not a lost request). The balancer's one
 * retry rule: a backend that refuses the connection (ECONNREFUSED: nothing listens, so it received nothing) is
 * skipped and the next one tried, round-robin from `first`, for up to 10 s when all refuse. Any other error
 * (reset, timeout, hang-up) is thrown: the request may have reached a server and is a failed request.
 */
export async function viaBalancer(
  backends: string[],
  first: number,
  method: string,
  path: string,
  init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (let attempt = 0; ; attempt++) {
    const base = backends[(first + attempt) % backends.length]!;
    try {
      return await once(base, method, path, init);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || Date.now() > deadline) throw err;
      if (attempt % backends.length === backends.length - 1) await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function once(base: string, method: string, path: string, init: Parameters<typeof viaBalancer>[4] = {}) {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json, via: base });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${base} within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
