import { describe, expect, it } from 'vitest';
import {
  daysBefore,
  hoursBefore,
  isExpired,
  retentionCutoffs,
  STUCK_MEAL_GRACE_MS,
  stuckMealCutoff,
} from '../../src/domain/maintenance/cutoffs';
import { InvalidDuration, parseDurationMs } from '../../src/domain/maintenance/duration';
import { addCounts, alertActionFor, healthReportOf, summariseVacuumReport } from '../../src/domain/maintenance/report';
import type { TableVacuum } from '../../src/domain/maintenance/types';
import { quoteIdent } from '../../src/db/sql';
import { envSchema } from '../../src/config';

describe('parseDurationMs', () => {
  it('reads every unit the configuration accepts', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('15m')).toBe(900_000);
    expect(parseDurationMs('24h')).toBe(86_400_000);
    expect(parseDurationMs('7d')).toBe(604_800_000);
    expect(parseDurationMs('0s')).toBe(0);
    expect(parseDurationMs(' 2h ')).toBe(7_200_000);
  });

  it('rejects what the configuration rejects, without echoing a long value', () => {
    for (const bad of ['', '24', 'h', '1.5h', '-1h', '1w', '1 h', '1H', '24hours', '1h30m']) {
      expect(() => parseDurationMs(bad), bad).toThrow(InvalidDuration);
      expect(envSchema.shape.MEAL_INPUT_TIMEOUT.safeParse(bad).success, bad).toBe(false);
    }
    expect(() => parseDurationMs('9'.repeat(400) + 'd')).toThrow(/invalid duration "9{39}/);
  });

  it('agrees with the configuration default', () => {
    expect(parseDurationMs(envSchema.parse({}).MEAL_INPUT_TIMEOUT)).toBe(24 * 3_600_000);
  });
});

describe('cutoffs', () => {
  const asOf = '2026-03-29T12:00:00.000Z'; // a DST change day in Europe: elapsed time, not calendar days

  it('are exact elapsed-time offsets from the run instant', () => {
    expect(hoursBefore(asOf, 24).toISOString()).toBe('2026-03-28T12:00:00.000Z');
    expect(daysBefore(asOf, 30).toISOString()).toBe('2026-02-27T12:00:00.000Z');
    expect(daysBefore(new Date(asOf), 1).getTime()).toBe(Date.parse(asOf) - 86_400_000);
    expect(retentionCutoffs(Date.parse(asOf), { imageDays: 365, journalDays: 730 })).toEqual({
      mealImages: new Date('2025-03-29T12:00:00.000Z'),
      journalTexts: new Date('2024-03-29T12:00:00.000Z'),
    });
  });

  it('stuck meals: input limit plus one hour of grace', () => {
    expect(STUCK_MEAL_GRACE_MS).toBe(3_600_000);
    expect(stuckMealCutoff(asOf, '24h').toISOString()).toBe('2026-03-28T11:00:00.000Z');
    expect(stuckMealCutoff(asOf, '30m').toISOString()).toBe('2026-03-29T10:30:00.000Z');
    expect(() => stuckMealCutoff(asOf, 'soon')).toThrow(InvalidDuration);
  });

  it('expired means strictly older than the cutoff', () => {
    const cutoff = daysBefore(asOf, 30);
    expect(isExpired(new Date(cutoff.getTime() - 1), cutoff)).toBe(true);
    expect(isExpired(cutoff, cutoff)).toBe(false);
    expect(isExpired(new Date(cutoff.getTime() + 1), cutoff)).toBe(false);
  });

  it('refuses an invalid instant or a non-positive period', () => {
    expect(() => daysBefore('not a date', 1)).toThrow(RangeError);
    expect(() => daysBefore(asOf, 0)).toThrow(RangeError);
    expect(() => hoursBefore(asOf, -1)).toThrow(RangeError);
    expect(() => hoursBefore(asOf, Number.NaN)).toThrow(RangeError);
  });
});

describe('summariseVacuumReport', () => {
  const t = (
    table: string,
    before: [number, number, number],
    after: [number, number, number],
    lastVacuum: string | null,
    durationMs = 10,
  ): TableVacuum => ({
    table,
    before: { liveTuples: before[0], deadTuples: before[1], totalBytes: before[2], lastVacuum: null },
    after: { liveTuples: after[0], deadTuples: after[1], totalBytes: after[2], lastVacuum },
    durationMs,
  });

  it('reports every table in name order with before/after and totals', () => {
    const report = summariseVacuumReport([
      t('meals', [100, 40, 81920], [100, 0, 73728], '2026-01-01T00:00:00.000Z', 30),
      t('data_deletions', [0, 0, 16384], [0, 0, 24576], '2026-01-01T00:00:01.000Z', 5),
    ]);
    expect(report.tables.map((r) => r.table)).toEqual(['data_deletions', 'meals']);
    expect(report.tables[1]).toEqual({
      table: 'meals',
      liveTuples: { before: 100, after: 100 },
      deadTuples: { before: 40, after: 0 },
      totalBytes: { before: 81920, after: 73728 },
      sizeChangeBytes: -8192,
      lastVacuum: '2026-01-01T00:00:00.000Z',
      durationMs: 30,
    });
    expect(report.tables[0]!.sizeChangeBytes).toBe(8192); // a new visibility map fork: VACUUM can grow a table
    expect(report.totals).toEqual({
      tables: 2,
      deadTuplesBefore: 40,
      deadTuplesAfter: 0,
      totalBytesBefore: 98304,
      totalBytesAfter: 98304,
      durationMs: 35,
    });
  });

  it('keeps the earlier last_vacuum when the stats have not caught up yet, and handles no tables', () => {
    const row = t('x', [1, 1, 1], [1, 1, 1], null);
    row.before.lastVacuum = '2025-12-31T00:00:00.000Z';
    expect(summariseVacuumReport([row]).tables[0]!.lastVacuum).toBe('2025-12-31T00:00:00.000Z');
    expect(summariseVacuumReport([])).toEqual({
      tables: [],
      totals: {
        tables: 0,
        deadTuplesBefore: 0,
        deadTuplesAfter: 0,
        totalBytesBefore: 0,
        totalBytesAfter: 0,
        durationMs: 0,
      },
    });
  });
});

describe('health report and alerting', () => {
  const check = (status: 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY') => ({ status, latency_ms: 1, detail: 'd' });

  it('lists every check that is not HEALTHY, sorted', () => {
    const report = healthReportOf({
      status: 'UNHEALTHY',
      checks: { workers: check('DEGRADED'), database: check('UNHEALTHY'), disk: check('HEALTHY') },
    });
    expect(report.failing).toEqual(['database', 'workers']);
    expect(report.status).toBe('UNHEALTHY');
    expect(Object.keys(report.checks)).toHaveLength(3);
    expect(healthReportOf({ status: 'HEALTHY', checks: { disk: check('HEALTHY') } }).failing).toEqual([]);
  });

  it('pages only for UNHEALTHY', () => {
    expect(alertActionFor('UNHEALTHY')).toBe('event');
    expect(alertActionFor('DEGRADED')).toBe('warn');
    expect(alertActionFor('HEALTHY')).toBe('none');
  });
});

describe('helpers', () => {
  it('addCounts sums per key and ignores non-numbers', () => {
    const total = addCounts({ deleted: 2 }, { deleted: 3, scanned: 500 });
    expect(addCounts(total, { scanned: Number.NaN, closed: 1 })).toEqual({ deleted: 5, scanned: 500, closed: 1 });
  });

  it('quoteIdent quotes and doubles embedded quotes', () => {
    expect(quoteIdent('meals')).toBe('"meals"');
    expect(quoteIdent('we"ird; drop table x')).toBe('"we""ird; drop table x"');
    expect(() => quoteIdent('')).toThrow(RangeError);
    expect(() => quoteIdent('a\u0000b')).toThrow(RangeError);
  });
});
