import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { mondayOf, previousWeekStartUtc } from '../../src/domain/insights/time';
import {
  declarationHash,
  DEFAULT_SCHEDULES,
  loadDeclaredSchedules,
  scheduleDeclarationSchema,
} from '../../src/temporal/schedules/declared';

const writeJson = (value: unknown) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-sched-')), 'schedules.json');
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};
const valid = {
  id: 'nightly-cleanup',
  description: 'cleanup',
  workflowType: 'maintenanceCleanup',
  cron: '0 2 * * *',
  timezone: 'Europe/Berlin',
  catchupWindow: '1h',
};

describe('declared schedules', () => {
  it('the built-in declarations are valid, unique and each has one of cron or calendar', () => {
    for (const d of DEFAULT_SCHEDULES) expect(scheduleDeclarationSchema.safeParse(d).success, d.id).toBe(true);
    expect(new Set(DEFAULT_SCHEDULES.map((d) => d.id)).size).toBe(DEFAULT_SCHEDULES.length);
    expect(DEFAULT_SCHEDULES.map((d) => d.workflowType).sort()).toEqual([
      'maintenanceCleanup',
      'maintenanceDatabase',
      'maintenanceHealthReport',
      'maintenanceRetention',
      'modelRetraining',
      'weeklyInsightsAll',
    ]);
  });

  it('loads a file with defaults filled in', () => {
    const [d] = loadDeclaredSchedules(writeJson([valid]));
    expect(d).toMatchObject({ ...valid, overlap: 'SKIP', jitter: '0s', args: {} });
  });

  it.each([
    ['not JSON', '{', /could not be read as JSON/],
    ['unknown workflow', [{ ...valid, workflowType: 'rm -rf' }], /workflowType/],
    ['both cron and calendar', [{ ...valid, calendar: { hour: 1 } }], /exactly one of cron or calendar/],
    ['neither', [{ ...valid, cron: undefined }], /exactly one of cron or calendar/],
    ['bad zone', [{ ...valid, timezone: 'Mars/Base' }], /time zone/],
    ['bad cron', [{ ...valid, cron: 'every day' }], /cron/],
    ['overlap other than SKIP', [{ ...valid, overlap: 'ALLOW_ALL' }], /overlap/],
    ['duplicate id', [valid, valid], /declares nightly-cleanup twice/],
    ['per-person prefix', [{ ...valid, id: 'insights-user-bob' }], /per-person/],
    ['unknown field', [{ ...valid, paused: true }], /Unrecognized|unrecognized/],
  ])('rejects %s with a ConfigError naming SCHEDULES_FILE', (_name, content, message) => {
    const file = writeJson(content);
    expect(() => loadDeclaredSchedules(file)).toThrow(ConfigError);
    expect(() => loadDeclaredSchedules(file)).toThrow(message);
    expect(() => loadDeclaredSchedules(file)).toThrow(/SCHEDULES_FILE/);
  });

  it('hashes declarations stably (key order does not matter) and differently when anything changes', () => {
    const d = scheduleDeclarationSchema.parse(valid);
    const reordered = scheduleDeclarationSchema.parse(Object.fromEntries(Object.entries(valid).reverse()));
    expect(declarationHash(reordered)).toBe(declarationHash(d));
    expect(declarationHash({ ...d, cron: '0 3 * * *' })).not.toBe(declarationHash(d));
    expect(declarationHash({ ...d, jitter: '1m' })).not.toBe(declarationHash(d));
  });
});

describe('week helpers for schedules', () => {
  it('previousWeekStartUtc: the Monday of the last complete UTC week', () => {
    expect(previousWeekStartUtc(Date.parse('2026-11-23T12:00:00Z'))).toBe('2026-11-16'); // a Monday noon
    expect(previousWeekStartUtc(Date.parse('2026-11-23T00:00:00Z'))).toBe('2026-11-16');
    expect(previousWeekStartUtc(Date.parse('2026-11-22T23:59:59Z'))).toBe('2026-11-09'); // still Sunday
    expect(previousWeekStartUtc(Date.parse('2027-01-01T08:00:00Z'))).toBe('2026-12-21'); // across a year
  });

  it('mondayOf: the local week, across zones and a DST change', () => {
    expect(mondayOf(Date.parse('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-23'); // Monday 00:30 in Berlin
    expect(mondayOf(Date.parse('2026-11-22T23:30:00Z'), 'UTC')).toBe('2026-11-16');
    expect(mondayOf(Date.parse('2026-11-23T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-16'); // Sunday evening there
    expect(mondayOf(Date.parse('2027-03-29T06:00:00Z'), 'Europe/Berlin')).toBe('2027-03-29'); // the Monday after spring-forward
  });
});
