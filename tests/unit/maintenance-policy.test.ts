import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createMaintenanceActivities } from '../../src/activities/maintenance';
import type { EventPublisher } from '../../src/adapters/events/publisher';
import { createImageStore } from '../../src/adapters/images/store';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { MAINTENANCE_WORKFLOW_TYPES } from '../../src/contracts/maintenance';
import { MAINTENANCE_JOBS } from '../../src/domain/maintenance/jobs';
import { createLogger } from '../../src/logger';
import { MAINTENANCE_POLICIES, MAX_PASSES_PER_RUN } from '../../src/contracts/maintenance.policy';
import * as workflows from '../../src/workflows';

const ms = (d: string) => {
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`unexpected duration ${d}`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 60e3, h: 3600e3 }[m[2] as 'ms' | 's' | 'm' | 'h'];
};

const config = loadConfig({ WELLFLOW_DATA_DIR: '/nonexistent-wellflow-test' });
const activityNames = Object.keys(
  createMaintenanceActivities({
    config,
    database: { db: {}, sql: {} } as unknown as Database,
    images: createImageStore(config.dataDir),
    temporal: {} as Client,
    events: {} as EventPublisher,
    health: { runAll: async () => ({ status: 'HEALTHY', checks: {} as never }) },
    logger: createLogger('silent'),
  }),
);

describe('maintenance step policies', () => {
  it('cover exactly the four workflow types, each exported by the bundle entry', () => {
    expect(Object.keys(MAINTENANCE_POLICIES).sort()).toEqual(
      MAINTENANCE_JOBS.map((j) => MAINTENANCE_WORKFLOW_TYPES[j]).sort(),
    );
    for (const type of Object.keys(MAINTENANCE_POLICIES))
      expect(typeof (workflows as Record<string, unknown>)[type], type).toBe('function');
  });

  it('every step names a registered activity, runs on the default queue and says why', () => {
    for (const [type, steps] of Object.entries(MAINTENANCE_POLICIES)) {
      const names = Object.keys(steps);
      expect(names[0], type).toBe('begin');
      expect(names[names.length - 1], type).toBe('finish');
      for (const [name, p] of Object.entries(steps)) {
        expect(activityNames, `${type}.${name}`).toContain(p.activity);
        expect(p.queue).toBe('default');
        expect(p.reason.length, `${type}.${name}`).toBeGreaterThan(40);
        expect(ms(p.startToCloseTimeout)).toBeLessThanOrEqual(ms(p.scheduleToCloseTimeout));
        if ('heartbeatTimeout' in p && p.heartbeatTimeout)
          expect(ms(p.heartbeatTimeout)).toBeLessThan(ms(p.startToCloseTimeout));
      }
    }
  });

  it('the database job allows a long VACUUM with heartbeats', () => {
    const vacuum = MAINTENANCE_POLICIES.maintenanceDatabase.vacuum;
    expect(ms(vacuum.startToCloseTimeout)).toBeGreaterThanOrEqual(ms('10m'));
    expect(vacuum.heartbeatTimeout).toBeDefined();
  });

  it('a run caps its passes and only retention parts are required', () => {
    expect(MAX_PASSES_PER_RUN).toBeGreaterThan(1);
    // Only retention parts are required: a failed retention must fail the run; cleanup parts are independent chores.
    expect(MAINTENANCE_POLICIES.maintenanceRetention.mealImages.required).toBe(true);
    expect(MAINTENANCE_POLICIES.maintenanceCleanup.orphanUploads.required).toBe(false);
  });
});
