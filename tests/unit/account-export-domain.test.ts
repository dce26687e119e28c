import { describe, expect, it } from 'vitest';
import {
  crisisCaseRecord,
  journalRecord,
  jsonArrayEnd,
  jsonArrayPiece,
  mealRecord,
  photoEntryName,
  plainRecord,
} from '../../src/domain/account/export-records';
import { EXPORT_JSON_FILES, EXPORT_JSON_KINDS, exportReadme } from '../../src/domain/account/export-readme';
import { exportFileNames } from '../../src/domain/account/export-files';

const at = new Date('2026-11-30T12:00:00.000Z');

describe('account export records', () => {
  it('a JSON array written piece by piece parses back to the same records, empty included', () => {
    const records = [{ a: 1 }, { b: 'x"y' }, null, [1, 2]];
    const text = records.map((r, i) => jsonArrayPiece(r, i)).join('') + jsonArrayEnd(records.length);
    expect(JSON.parse(text)).toEqual(records);
    expect(JSON.parse(jsonArrayEnd(0))).toEqual([]);
  });

  it('a meal names its photo by meal id and keeps the analysis, without internal fields', () => {
    const meal = {
      id: 'm1',
      description: 'eggs',
      eatenAt: at,
      mealType: 'breakfast',
      imageKey: `sha256:${'a'.repeat(64)}.png`,
      imageDeletedAt: null,
      batchId: null,
      createdAt: at,
      outcome: 'completed',
      outcomeReason: null,
      closedAt: at,
      workflowId: 'meal-m1',
    };
    const analysis = {
      items: [{ name: 'egg' }],
      totals: { kcal: 140 },
      feedback: [],
      warnings: [],
      confidence: 0.9,
      foodTableVersion: 'v1',
      analyzedAt: at,
    };
    const r = mealRecord(meal, analysis);
    expect(r.photo).toBe('photos/m1.png');
    expect(r.analysis?.totals).toEqual({ kcal: 140 });
    expect(r.eatenAt).toBe('2026-11-30T12:00:00.000Z');
    expect(JSON.stringify(r)).not.toContain('meal-m1');
    expect(mealRecord({ ...meal, imageDeletedAt: at }, null).photo).toMatch(/^deleted by retention/);
    expect(mealRecord({ ...meal, imageKey: null }, null)).toMatchObject({ photo: null, analysis: null });
    expect(photoEntryName('m2', `sha256:${'b'.repeat(64)}.jpg`)).toBe('photos/m2.jpg');
  });

  it('a journal entry carries its text and only the screening outcome, not rule internals', () => {
    const r = journalRecord(
      {
        id: 'j1',
        createdAt: at,
        mood: 3,
        locale: 'en',
        textDeletedAt: null,
        screening: { tier: 'low', rules: ['r1'], spans: [{ start: 0, end: 3 }], screenerVersion: 's2' },
        screenedAt: at,
      },
      'dear diary',
    );
    expect(r).toMatchObject({ text: 'dear diary', screening: { tier: 'low', screenerVersion: 's2' } });
    expect(JSON.stringify(r)).not.toContain('r1');
  });

  it('a crisis case leaves out staff identities', () => {
    const r = crisisCaseRecord({
      id: 'c1',
      status: 'resolved',
      tier: 'high',
      openedAt: at,
      acknowledgedAt: at,
      resolvedAt: at,
      outcome: 'safe',
      closedAt: null,
      ...{ acknowledgedBy: 'staff-7' },
    } as Parameters<typeof crisisCaseRecord>[0]);
    expect(JSON.stringify(r)).not.toContain('staff-7');
    expect(r.closedAt).toBeNull();
  });

  it('plain records drop workflow ids and turn dates into ISO strings', () => {
    expect(plainRecord({ id: 't', workflowId: 'w', at })).toEqual({ id: 't', at: '2026-11-30T12:00:00.000Z' });
  });
});

describe('account export README and files', () => {
  it('names every JSON file with its count, and photos, charts and export.json', () => {
    const readme = exportReadme({
      exportId: 'e1',
      userId: 'alice',
      createdAt: at.toISOString(),
      counts: { meals: 5000, photos: 1000, journal: 3 },
    });
    for (const k of EXPORT_JSON_KINDS) expect(readme).toContain(`| ${EXPORT_JSON_FILES[k].file} |`);
    expect(readme).toContain('| meals.json | 5000 |');
    expect(readme).toMatch(/\| photos\/<meal id>\.<jpg,png,webp> \| 1000 \|/);
    expect(readme).toContain('| charts/week-<week start>.svg | 0 |');
    expect(readme).toContain('export.json');
  });

  it('an export has the archive, the half-written archive and the staging folder on disk, all hidden but the archive', () => {
    const [archive, ...temp] = exportFileNames('e1');
    expect(archive).toBe('e1.tar.gz');
    for (const t of temp) expect(t.startsWith('.tmp-')).toBe(true);
  });
});
