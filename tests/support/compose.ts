import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml as data, for the tests that check it (tests/unit/docker-compose.test.ts) and run it as
 * processes (tests/integration/topology.test.ts), so both read the same file the same way.
 */
export const ROOT = path.resolve(__dirname, '..', '..');

export type Service = {
  command?: string | string[];
  restart?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: string[];
  ports?: string[];
};

type ComposeFile = { include?: (string | { path: string })[]; services?: Record<string, Service> };

const readCompose = (file: string) =>
  parse(fs.readFileSync(path.join(ROOT, file), 'utf8'), { merge: true }) as ComposeFile;

/** docker-compose.yml and each file it includes (`include:`), each with its services. */
export function composeFiles(): { file: string; services: Record<string, Service> }[] {
  const main = readCompose('docker-compose.yml');
  const included = (main.include ?? []).map((i) => (typeof i === 'string' ? i : i.path));
  return [
    { file: 'docker-compose.yml', services: main.services ?? {} },
    ...included.map((file) => ({ file, services: readCompose(file).services ?? {} })),
  ];
}

/** Every service of the deployment, with YAML merge keys (`<<: *anchor`) resolved as compose resolves them. */
export function composeServices(): Record<string, Service> {
  return Object.assign({}, ...composeFiles().map((f) => f.services));
}

export const words = (cmd: Service['command']) => (Array.isArray(cmd) ? cmd : (cmd ?? '').split(/\s+/).filter(Boolean));

export const envOf = (s: Service): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v == null ? '' : String(v)]));

export const dependsOn = (s: Service) => (Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}));

/**
 * What `docker compose` substitutes for `${NAME}`, `${NAME:-default}` and `${NAME:?message}`: the default when
 * there is one, else `hostEnv[NAME]` (the operator's exported variables), else, for a required variable with no
 * value given, a plausible one (a base64 32-byte key for `*_KEY`, a 48-character string otherwise).
 */
export function interpolate(value: string, hostEnv: Record<string, string> = {}): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    if (hostEnv[name] !== undefined) return hostEnv[name];
    if (op === '-') return arg ?? '';
    return name.endsWith('_KEY') ? Buffer.alloc(32, 7).toString('base64') : 'x'.repeat(48);
  });
}
