import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { ENV_VARS, envSchema, loadConfig } from '../../src/config';
import { ALL_QUEUES } from '../../src/contracts/queues';
import { composeFiles, composeServices, dependsOn as deps, envOf, interpolate, ROOT, words } from '../support/compose';

// Checks the deployment files (docker-compose.yml, Dockerfile, .env.example) against src/config.ts, so a renamed
// or new variable, queue or file breaks here instead of in a container.
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

const services = composeServices();
const JOBS = ['migrate', 'schedules-sync'];
const APP = ['api', 'worker-default', 'worker-critical', 'worker-heavy', ...JOBS];
const WORKERS = APP.filter((s) => s.startsWith('worker-'));
/** Every long-running service of the topology (Prometheus and Grafana are checked with their own files). */
const LONG_RUNNING = ['postgresql', 'temporal', 'temporal-ui', 'nats', 'redis', 'api', ...WORKERS];

describe('docker-compose.yml', () => {
  it('mounts files that exist, each path read from the folder of the compose file that names it', () => {
    const files = composeFiles();
    expect(files.map((f) => f.file)).toContain('deploy/compose/observability.yml');
    for (const { file, services } of files)
      for (const [name, s] of Object.entries(services))
        for (const source of (s.volumes ?? []).map((v) => v.split(':')[0]!).filter((v) => v.startsWith('.')))
          expect(fs.existsSync(path.resolve(ROOT, path.dirname(file), source)), `${file} ${name} ${source}`).toBe(true);
  });

  it('defines the production services', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'nats', ...APP])
      expect(services, name).toHaveProperty(name);
  });

  it.each(APP)('%s uses only ENV_VARS names and an environment loadConfig accepts', (name) => {
    const env = envOf(services[name]!);
    expect(Object.keys(env).length).toBeGreaterThan(0);
    for (const key of Object.keys(env)) expect(ENV_VARS, `${name}: ${key}`).toContain(key);
    const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)])));
    // Production must use the real database and cluster, never start embedded ones.
    expect(config.startPostgres).toBe(false);
    expect(config.startTemporal).toBe(false);
    expect(config.NODE_ENV).toBe('production');
  });

  it('takes the secrets from the host environment, never a default', () => {
    for (const name of APP) {
      const env = envOf(services[name]!);
      for (const key of ['JWT_SECRET', 'WELLFLOW_ENCRYPTION_KEY'])
        expect(env[key], `${name}: ${key}`).toMatch(/^\$\{\w+:\?.+\}$/);
    }
  });

  it('runs each app service through bin/wellflow.js with its role', () => {
    expect(words(services.api!.command)).toEqual(['node', 'bin/wellflow.js', 'api']);
    expect(words(services.migrate!.command)).toEqual(['node', 'bin/wellflow.js', 'migrate']);
    expect(words(services['schedules-sync']!.command)).toEqual(['node', 'bin/wellflow.js', 'schedules', 'sync']);
    for (const w of WORKERS)
      expect(words(services[w]!.command).slice(0, 3)).toEqual(['node', 'bin/wellflow.js', 'worker']);
  });

  it('binds the API on every interface and publishes its port', () => {
    expect(envOf(services.api!).HOST).toBe('0.0.0.0');
    expect(services.api!.ports).toContain('3000:3000');
  });

  it('has workers that name only known queues and together cover all of them', () => {
    const served = WORKERS.flatMap((w) => {
      const args = words(services[w]!.command);
      const i = args.findIndex((a) => a === '--queues' || a.startsWith('--queues='));
      expect(i, `${w} has --queues`).toBeGreaterThan(-1);
      const value = args[i]!.includes('=') ? args[i]!.split('=')[1]! : args[i + 1]!;
      const queues = value.split(',');
      for (const q of queues) expect(ALL_QUEUES, `${w}: ${q}`).toContain(q);
      return queues;
    });
    expect(new Set(served)).toEqual(new Set(ALL_QUEUES));
  });

  it('points depends_on at existing services and runs migrate to completion first', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const d of deps(s)) expect(Object.keys(services), `${name} -> ${d}`).toContain(d);
    }
    for (const name of APP.filter((n) => n !== 'migrate')) {
      const dependsOn = services[name]!.depends_on as Record<string, { condition?: string }>;
      expect(dependsOn.migrate?.condition, name).toBe('service_completed_successfully');
    }
  });

  it('waits on every dependency with a condition: healthy for services, completed for the one-shot jobs', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(Array.isArray(s.depends_on), `${name}: depends_on without conditions`).toBe(false);
      for (const [dep, { condition } = {}] of Object.entries(s.depends_on ?? {}))
        expect(condition, `${name} -> ${dep}`).toBe(
          JOBS.includes(dep) ? 'service_completed_successfully' : 'service_healthy',
        );
    }
    const on = (name: string) => Object.keys(services[name]!.depends_on ?? {});
    for (const name of ['api', ...WORKERS])
      expect(on(name), name).toEqual(expect.arrayContaining(['postgresql', 'temporal', 'nats', 'migrate']));
    // The API also needs the shared rate-limit store, and goes live only once the release's schedules exist.
    expect(on('api')).toEqual(expect.arrayContaining(['redis', 'schedules-sync']));
    expect(on('schedules-sync')).toEqual(expect.arrayContaining(['temporal', 'migrate']));
  });

  it('gives every long-running service a healthcheck, and runs the jobs once', () => {
    for (const name of LONG_RUNNING) {
      const hc = services[name]!.healthcheck;
      expect(hc?.test, `${name} healthcheck`).toBeDefined();
      expect(hc?.disable, name).not.toBe(true);
    }
    for (const name of JOBS) {
      expect(services[name]!.restart, name).toBe('no');
      expect(services[name]!.healthcheck?.disable, name).toBe(true);
    }
  });

  it('probes the API and the workers on their ops port, which is never published', () => {
    for (const name of ['api', ...WORKERS]) {
      const env = envOf(services[name]!);
      const probe = words(services[name]!.healthcheck!.test as string[]).join(' ');
      expect(probe, name).toContain(`http://127.0.0.1:${env.OPS_PORT}/health`);
      expect(env.OPS_HOST, name).toBe('0.0.0.0');
      for (const p of services[name]!.ports ?? []) expect(p, name).not.toContain(env.OPS_PORT);
    }
  });

  it('publishes the Temporal Web UI and the Temporal port on loopback only', () => {
    expect(services['temporal-ui']!.ports).toEqual(['127.0.0.1:8080:8080']);
    for (const p of services.temporal!.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it('mounts only files that exist and lets the Web UI reach the codec', () => {
    for (const s of Object.values(services)) {
      for (const v of s.volumes ?? [])
        if (v.startsWith('./')) expect(fs.existsSync(path.join(ROOT, v.split(':')[0]!)), v).toBe(true);
    }
    const ui = envOf(services['temporal-ui']!);
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe('http://localhost:3000/codec');
    expect(envOf(services.api!).WELLFLOW_UI_ORIGIN?.split(',')).toContain('http://localhost:8080');
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .map((l) => l.trim());

  it('starts bin/wellflow.js', () => {
    const start = lines.filter((l) => /^(CMD|ENTRYPOINT)\b/.test(l));
    expect(start.length).toBeGreaterThan(0);
    expect(start.at(-1)).toContain('bin/wellflow.js');
  });

  it('copies only files that exist in the repository', () => {
    const sources = lines
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) =>
        l
          .split(/\s+/)
          .slice(1)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources).toContain('package-lock.json');
    for (const src of sources.filter((s) => !/[*?[]/.test(s)))
      expect(fs.existsSync(path.join(ROOT, src)), src).toBe(true);
  });
});

describe('.env.example', () => {
  const entries = read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);

  it('names exactly the variables in ENV_VARS, once each', () => {
    expect(entries.map(([k]) => k).sort()).toEqual([...ENV_VARS].sort());
  });

  it('shows the schema defaults and is itself a valid configuration', () => {
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    for (const [key, value] of entries) {
      const d = defaults[key];
      expect(value, key).toBe(d === undefined ? '' : Array.isArray(d) ? d.join(',') : String(d));
    }
    expect(() => loadConfig(Object.fromEntries(entries))).not.toThrow();
  });
});
