import { describe, expect, it } from 'vitest';
import { composeServices } from '../support/compose';
import { type HostParts, serviceEnv } from '../support/topology';

// The topology test runs compose's environments with only the compose network's hosts, the container's paths
// and the listening ports replaced (tests/support/topology.ts). These check that replacement itself: every app
// service maps cleanly today, and a compose change it does not know fails loudly instead of being ignored.
const parts: HostParts = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/topo',
  temporalAddress: '127.0.0.1:17233',
  natsUrl: 'nats://127.0.0.1:4222',
  redisUrl: 'redis://127.0.0.1:6379/3',
  dataDir: '/tmp/topo-data',
  bundlePath: '/tmp/topo/workflow-bundle.js',
  hostEnv: { JWT_SECRET: 'j'.repeat(48), WELLFLOW_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') },
};
const APP = ['migrate', 'schedules-sync', 'api', 'worker-default', 'worker-critical', 'worker-heavy'];

describe('compose environments on one host', () => {
  it.each(APP)('%s: every compose host, path and port is replaced; the secrets are the operator’s', (name) => {
    const env = serviceEnv(name, parts, { OPS_PORT: 40001 });
    expect(env.DATABASE_URL).toBe(parts.databaseUrl);
    expect(env.TEMPORAL_ADDRESS).toBe(parts.temporalAddress);
    expect(env.WELLFLOW_DATA_DIR).toBe(parts.dataDir);
    expect(env.OPS_PORT).toBe('40001');
    expect(env.JWT_SECRET).toBe(parts.hostEnv.JWT_SECRET);
    expect(JSON.stringify(env)).not.toMatch(/postgresql:|temporal:7233|nats:\/\/nats|redis:\/\/redis/);
  });

  it('fails on a variable that names a compose host the replacement does not know', () => {
    const services = composeServices();
    const api = services.api!;
    const drifted = {
      ...services,
      api: { ...api, environment: { ...(api.environment as object), INFERENCE_URL: 'http://nats:8000' } },
    };
    expect(() => serviceEnv('api', parts, {}, drifted)).toThrow(
      /INFERENCE_URL=http:\/\/nats:8000 names a compose host/,
    );
  });

  it('fails when a replaced variable no longer has the value the replacement expects', () => {
    const services = composeServices();
    const worker = services['worker-default']!;
    const drifted = {
      ...services,
      'worker-default': {
        ...worker,
        environment: { ...(worker.environment as object), TEMPORAL_ADDRESS: 'temporal-frontend:7233' },
      },
    };
    expect(() => serviceEnv('worker-default', parts, {}, drifted)).toThrow(
      /TEMPORAL_ADDRESS is temporal-frontend:7233/,
    );
  });
});
