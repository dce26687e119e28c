import { describe, it, expect } from 'vitest';
import { computeWeeklyInsight, InsightInputError } from '../../src/domain/insights';
import { NUTRIENT_KEYS } from '../../src/domain/nutrition/types';
import { banana, bread, fixture, input, item, meal, soup, sum, targets, TZ } from '../support/insight-fixtures';
import { n } from '../support/nutrients';

describe('computeWeeklyInsight: days and totals', () => {
  const { meals, byDate } = fixture();
  const w = computeWeeklyInsight(input(meals));

  it('has 7 days Mon..Sun starting at weekStart', () => {
    expect(w.days.map((d) => d.date)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(w.days.map((d) => d.label)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(w.weekEnd).toBe('2026-03-29');
  });

  it("daily totals are the exact sums of that day's meals; empty days are zero", () => {
    for (const d of w.days) {
      const ids = byDate[d.date] ?? [];
      const expected = sum(meals.filter((m) => ids.includes(m.mealId)).map((m) => m.totals));
      expect(d.mealCount).toBe(ids.length);
      for (const k of NUTRIENT_KEYS) {
        expect(d.totals[k]).toBeCloseTo(expected[k], 9);
        const dp = k === 'kcal' || k === 'sodium_mg' ? 0 : 1;
        expect(d.display[k]).toBe(
          Number(expected[k].toFixed(dp)) === 0 ? 0 : Math.round(expected[k] * 10 ** dp) / 10 ** dp,
        );
      }
    }
    expect(w.days[3]?.totals).toEqual(n());
    expect(w.days[6]?.totals).toEqual(n());
  });

  it('week totals, averages over logged days and target comparisons', () => {
    const total = sum(meals.map((m) => m.totals));
    expect(w.mealCount).toBe(9);
    expect(w.loggedDays).toBe(5);
    expect(w.mealsOutsideWeek).toBe(0);
    for (const k of NUTRIENT_KEYS) {
      expect(w.weekTotals[k]).toBeCloseTo(total[k], 9);
      expect(w.dailyAverages?.[k]).toBeCloseTo(total[k] / 5, 9);
    }
    const v = w.vsTargets!;
    expect(v.sodium_mg.kind).toBe('max');
    expect(v.fiber_g.kind).toBe('min');
    expect(v.sodium_mg.target).toBe(targets.sodium_max_mg);
    expect(v.sodium_mg.percentOfTarget).toBe(Math.round((total.sodium_mg / 5 / targets.sodium_max_mg) * 100));
    expect(v.kcal.percentOfTarget).toBe(Math.round((total.kcal / 5 / targets.kcal) * 100));
    expect(v.satfat_g.source).toBe(targets.sources.satfat_max_g);
  });

  it('days over maxima, fibre days, fruit and vegetables per day', () => {
    const over = (k: 'sodium_mg' | 'satfat_g' | 'sugar_g', max: number) =>
      w.days.filter((d) => d.mealCount > 0 && d.totals[k] > max).length;
    expect(w.daysOver).toEqual({
      sodium_mg: over('sodium_mg', targets.sodium_max_mg),
      satfat_g: over('satfat_g', targets.satfat_max_g),
      sugar_g: over('sugar_g', targets.sugar_max_g),
    });
    expect(w.daysOver.sodium_mg).toBe(2); // Monday and Saturday (pizza + bread); Tuesday's pizza alone stays under
    expect(w.fruitVeg.perDayG).toEqual([118 + 150, 0, 300 + 118, 0, 0, 118 + 200, 0]);
    expect(w.fruitVeg.averageG).toBeCloseTo((268 + 418 + 318) / 5, 9);
    expect(w.fruitVeg.daysMet).toBe(1);
    expect(w.fruitVeg.targetG).toBe(400);
    expect(w.fiberAdequateDays).toBe(
      w.days.filter((d) => d.mealCount > 0 && d.totals.fiber_g >= targets.fiber_min_g).length,
    );
  });

  it('protein spread across meal types in MEAL_TYPES order', () => {
    expect(w.proteinByMealType.map((p) => p.mealType)).toEqual(['breakfast', 'lunch', 'dinner', 'snack']);
    const dinner = meals.filter((m) => m.mealType === 'dinner').reduce((s, m) => s + m.totals.protein_g, 0);
    const d = w.proteinByMealType.find((p) => p.mealType === 'dinner')!;
    expect(d.mealCount).toBe(4);
    expect(d.protein_g).toBeCloseTo(dinner, 9);
    expect(d.sharePct).toBe(Math.round((dinner / w.weekTotals.protein_g) * 100));
  });

  it('top contributors per nutrient: merged by name (case-folded), ordered, with shares of the week', () => {
    const sodium = w.topContributors.sodium_mg;
    expect(sodium.map((c) => c.name)).toEqual(['Pepperoni pizza', 'Tomato soup', 'Bread']);
    expect(sodium[0]?.amount).toBeCloseTo(3 * 1870.7, 6);
    expect(sodium[0]?.sharePct).toBe(Math.round(((3 * 1870.7) / w.weekTotals.sodium_mg) * 1000) / 10);
    expect(sodium[2]?.amount).toBeCloseTo(4 * 294.3, 6); // "Bread" and "bread" are one food
    expect(w.topContributors.sugar_g.map((c) => c.name).slice(0, 2)).toEqual(['Banana', 'Cola <&> "zero"']); // 3 x 14.4 g beats 35.1 g
    expect(w.topContributors.kcal[0]?.name).toBe('Pepperoni pizza');
    expect(w.topContributors.satfat_g).toHaveLength(3);
    const top1 = computeWeeklyInsight(input(meals, { topN: 1 }));
    expect(top1.topContributors.kcal).toHaveLength(1);
  });

  it('streak: consecutive logged days ending at the last logged day', () => {
    expect(w.streak).toEqual({ days: 2, endsOn: '2026-03-28' });
  });

  it('is deterministic and independent of input order', () => {
    const again = computeWeeklyInsight(input([...meals].reverse()));
    expect(again).toEqual(w);
    expect(JSON.stringify(again)).toBe(JSON.stringify(w));
  });
});

describe('computeWeeklyInsight: time zones', () => {
  const one = (eatenAt: string) => [meal('x', eatenAt, 'snack', [banana()])];
  const dayOf = (eatenAt: string, timezone = TZ) => {
    const w = computeWeeklyInsight(input(one(eatenAt), { timezone }));
    return w.days.find((d) => d.mealCount > 0)?.date ?? null;
  };

  it('a meal at 23:30 UTC lands on the next day in Europe/Berlin', () => {
    expect(dayOf('2026-03-24T23:30:00Z')).toBe('2026-03-25');
    expect(dayOf('2026-03-24T23:30:00Z', 'UTC')).toBe('2026-03-24');
    expect(dayOf('2026-03-24T23:30:00.000+00:00')).toBe('2026-03-25');
  });

  it('a meal on Sunday evening UTC is Monday in Berlin (in the week) but outside the week in UTC', () => {
    expect(dayOf('2026-03-22T23:30:00Z')).toBe('2026-03-23');
    const utc = computeWeeklyInsight(input(one('2026-03-22T23:30:00Z'), { timezone: 'UTC' }));
    expect(utc.mealCount).toBe(0);
    expect(utc.mealsOutsideWeek).toBe(1);
  });

  it('DST week: the offset changes from +01:00 to +02:00 on Sunday 29 March', () => {
    expect(dayOf('2026-03-28T22:30:00Z')).toBe('2026-03-28'); // 23:30 CET Saturday
    expect(dayOf('2026-03-28T23:30:00Z')).toBe('2026-03-29'); // 00:30 CET Sunday
    expect(dayOf('2026-03-29T21:30:00Z')).toBe('2026-03-29'); // 23:30 CEST Sunday
    const after = computeWeeklyInsight(input(one('2026-03-29T22:30:00Z'))); // 00:30 CEST Monday 30th: next week
    expect(after.mealCount).toBe(0);
    expect(after.mealsOutsideWeek).toBe(1);
  });

  it('negative offsets: 03:00 UTC is the previous evening in New York', () => {
    expect(dayOf('2026-03-24T03:00:00Z', 'America/New_York')).toBe('2026-03-23');
  });
});

describe('computeWeeklyInsight: edge weeks', () => {
  it('empty week: no averages, zero days, one gentle message', () => {
    const w = computeWeeklyInsight(input([]));
    expect(w.days).toHaveLength(7);
    expect(w.days.every((d) => d.mealCount === 0 && d.fruitVegG === 0)).toBe(true);
    expect(w.dailyAverages).toBeNull();
    expect(w.vsTargets).toBeNull();
    expect(w.loggedDays).toBe(0);
    expect(w.fruitVeg.averageG).toBeNull();
    expect(w.streak).toEqual({ days: 0, endsOn: null });
    expect(w.topContributors).toEqual({ sodium_mg: [], satfat_g: [], sugar_g: [], kcal: [] });
    expect(w.messages.map((m) => m.code)).toEqual(['empty_week']);
    expect(w.needsReview).toBe(false);
    expect(w.trends).toBeNull();
  });

  it('one-meal week: averages are that meal, the week is flagged as partial', () => {
    const m = meal('only', '2026-03-26T12:00:00Z', 'lunch', [soup(), bread()]);
    const w = computeWeeklyInsight(input([m], { previousWeekMeals: [] }));
    expect(w.loggedDays).toBe(1);
    expect(w.dailyAverages).toEqual(m.totals);
    expect(w.streak).toEqual({ days: 1, endsOn: '2026-03-26' });
    expect(w.trends).toBeNull();
    expect(w.messages.map((x) => x.code).slice(0, 2)).toEqual(['partial_week', 'single_meal_days']);
    expect(w.messages.some((x) => x.code === 'energy_above_estimate')).toBe(false);
    expect(w.needsReview).toBe(false);
  });

  it('streak counts back from the last logged day and stops at a gap', () => {
    const at = (id: string, date: string) => meal(id, `${date}T12:00:00Z`, 'lunch', [banana()]);
    const a = computeWeeklyInsight(input(['23', '24', '25', '27', '28', '29'].map((d) => at(`d${d}`, `2026-03-${d}`))));
    expect(a.streak).toEqual({ days: 3, endsOn: '2026-03-29' });
    const b = computeWeeklyInsight(input(['23', '24', '25'].map((d) => at(`d${d}`, `2026-03-${d}`))));
    expect(b.streak).toEqual({ days: 3, endsOn: '2026-03-25' });
    expect(b.messages.map((m) => m.code)).toContain('logging_streak');
  });

  it('trends: percent change of per-logged-day averages vs the previous week', () => {
    const cur = [
      meal('c1', '2026-03-24T12:00:00Z', 'lunch', [
        item('A', 100, { kcal: 600, fiber_g: 12, sodium_mg: 900, protein_g: 20 }),
      ]),
      meal('c2', '2026-03-25T12:00:00Z', 'lunch', [
        item('A', 100, { kcal: 600, fiber_g: 12, sodium_mg: 900, protein_g: 20 }),
      ]),
    ];
    const prev = [
      meal('p1', '2026-03-17T12:00:00Z', 'lunch', [item('B', 100, { kcal: 500, fiber_g: 8, sodium_mg: 1200 })]),
      // In this week's range: ignored for the previous week.
      meal('p2', '2026-03-24T12:00:00Z', 'lunch', [item('B', 100, { kcal: 9999 })]),
    ];
    const w = computeWeeklyInsight(input(cur, { previousWeekMeals: prev }));
    expect(w.trends?.kcal).toBe(20);
    expect(w.trends?.fiber_g).toBe(50);
    expect(w.trends?.sodium_mg).toBe(-25);
    expect(w.trends?.protein_g).toBeNull(); // nothing to compare with
    const codes = w.messages.map((m) => m.code);
    expect(codes).toContain('trend_fiber_up');
    expect(codes).toContain('trend_sodium_down');
    expect(computeWeeklyInsight(input(cur)).trends).toBeNull();
  });

  it('rejects bad input with every issue listed', () => {
    const bad = () =>
      computeWeeklyInsight(
        input([meal('a', 'yesterday', 'lunch', []), meal('a', '2026-03-24T12:00:00', 'lunch', [])], {
          weekStart: '2026-03-24',
          timezone: 'Mars/Olympus',
        }),
      );
    expect(bad).toThrow(InsightInputError);
    try {
      bad();
    } catch (e) {
      const fields = (e as InsightInputError).issues.map((i) => i.field);
      expect(fields).toEqual(
        expect.arrayContaining(['weekStart', 'timezone', 'meals[0].eatenAt', 'meals[1].mealId', 'meals[1].eatenAt']),
      );
    }
    expect(() => computeWeeklyInsight(input([], { weekStart: '2026-02-30' }))).toThrow(/weekStart/);
  });
});
