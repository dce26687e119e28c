import { describe, it, expect } from 'vitest';
import { dailyTargets, findBannedWording } from '../../src/domain/feedback';
import type { MealType } from '../../src/domain/feedback';
import { NUTRIENT_KEYS, type Nutrients } from '../../src/domain/nutrition/types';
import {
  computeWeeklyInsight,
  escapeXml,
  InsightInputError,
  type MealForInsight,
  type MealItemForInsight,
  renderWeeklyChartSvg,
  type WeeklyInsightInput,
} from '../../src/domain/insights';

const n = (over: Partial<Nutrients> = {}): Nutrients => ({
  kcal: 0,
  protein_g: 0,
  fat_g: 0,
  satfat_g: 0,
  carb_g: 0,
  fiber_g: 0,
  sugar_g: 0,
  sodium_mg: 0,
  ...over,
});
const item = (name: string | null, grams: number, nut: Partial<Nutrients>, category?: string): MealItemForInsight => ({
  name,
  grams,
  nutrients: n(nut),
  ...(category ? { category } : {}),
});
const sum = (list: Nutrients[]): Nutrients => {
  const out = n();
  for (const x of list) for (const k of NUTRIENT_KEYS) out[k] += x[k];
  return out;
};
const meal = (mealId: string, eatenAt: string, mealType: MealType, items: MealItemForInsight[]): MealForInsight => ({
  mealId,
  eatenAt,
  mealType,
  items,
  totals: sum(items.map((i) => i.nutrients)),
});

const targets = dailyTargets(undefined, 'who');
const TZ = 'Europe/Berlin';
// 2026-03-23 is a Monday; Berlin moves to summer time on Sunday 2026-03-29 (CET +01:00 → CEST +02:00).
const WEEK = '2026-03-23';
const input = (meals: MealForInsight[], over: Partial<WeeklyInsightInput> = {}): WeeklyInsightInput => ({
  weekStart: WEEK,
  timezone: TZ,
  meals,
  targets,
  guidelineProfileId: 'who',
  ...over,
});

const oats = (g = 60) =>
  item(
    'Oats',
    g,
    {
      kcal: 2.3 * g,
      protein_g: 0.13 * g,
      fat_g: 0.065 * g,
      satfat_g: 0.012 * g,
      carb_g: 0.66 * g,
      fiber_g: 0.1 * g,
      sugar_g: 0.01 * g,
      sodium_mg: 0.02 * g,
    },
    'cereals',
  );
const banana = () =>
  item(
    'Banana',
    118,
    {
      kcal: 105.02,
      protein_g: 1.29,
      fat_g: 0.39,
      satfat_g: 0.13,
      carb_g: 26.95,
      fiber_g: 3.07,
      sugar_g: 14.43,
      sodium_mg: 1.18,
    },
    'fruit',
  );
const salad = (g = 150) =>
  item(
    'Green salad',
    g,
    {
      kcal: 0.2 * g,
      protein_g: 0.013 * g,
      fat_g: 0.002 * g,
      carb_g: 0.03 * g,
      fiber_g: 0.02 * g,
      sugar_g: 0.01 * g,
      sodium_mg: 0.3 * g,
    },
    'vegetables',
  );
const pizza = () =>
  item(
    'Pepperoni pizza',
    300,
    {
      kcal: 840.3,
      protein_g: 36.1,
      fat_g: 37.7,
      satfat_g: 14.9,
      carb_g: 87.3,
      fiber_g: 6.1,
      sugar_g: 10.2,
      sodium_mg: 1870.7,
    },
    'fast food',
  );
const soup = () =>
  item(
    'Tomato soup',
    250,
    {
      kcal: 75.5,
      protein_g: 2.1,
      fat_g: 1.3,
      satfat_g: 0.3,
      carb_g: 14.9,
      fiber_g: 1.7,
      sugar_g: 9.9,
      sodium_mg: 1012.4,
    },
    'soups',
  );
const bread = (name = 'Bread') =>
  item(
    name,
    60,
    {
      kcal: 159.6,
      protein_g: 5.4,
      fat_g: 2,
      satfat_g: 0.4,
      carb_g: 29.4,
      fiber_g: 1.6,
      sugar_g: 3.4,
      sodium_mg: 294.3,
    },
    'breads',
  );
const cola = () =>
  item('Cola <&> "zero"', 330, { kcal: 138.6, carb_g: 35.1, sugar_g: 35.1, sodium_mg: 13.2 }, 'drinks');

// Mon, Tue, Wed, Fri, Sat logged; Thu and Sun empty. Times are UTC; Berlin is +01:00 this week until Sunday.
const fixture = (): { meals: MealForInsight[]; byDate: Record<string, string[]> } => {
  const meals = [
    meal('m1', '2026-03-23T06:30:00Z', 'breakfast', [oats(), banana()]),
    meal('m2', '2026-03-23T11:45:00Z', 'lunch', [soup(), bread()]),
    meal('m3', '2026-03-23T18:10:00Z', 'dinner', [pizza(), salad()]),
    meal('m4', '2026-03-24T07:00:00Z', 'breakfast', [oats(80)]),
    meal('m5', '2026-03-24T17:30:00Z', 'dinner', [pizza(), cola()]),
    meal('m6', '2026-03-25T12:00:00Z', 'lunch', [salad(300), bread('bread'), banana()]),
    meal('m7', '2026-03-27T19:00:00Z', 'dinner', [soup(), bread()]),
    meal('m8', '2026-03-28T08:00:00Z', 'snack', [banana(), item(null, 40, { kcal: 0 })]),
    meal('m9', '2026-03-28T18:00:00Z', 'dinner', [pizza(), salad(200), bread()]),
  ];
  return {
    meals,
    byDate: {
      '2026-03-23': ['m1', 'm2', 'm3'],
      '2026-03-24': ['m4', 'm5'],
      '2026-03-25': ['m6'],
      '2026-03-27': ['m7'],
      '2026-03-28': ['m8', 'm9'],
    },
  };
};

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

describe('computeWeeklyInsight: messages', () => {
  const allMessages = (w: ReturnType<typeof computeWeeklyInsight>) =>
    w.messages.flatMap((m) => [m.message, m.caveat ?? '']);

  it('high-sodium week: a swap suggestion naming the largest sources, in safe wording', () => {
    const w = computeWeeklyInsight(input(fixture().meals));
    const s = w.messages.find((m) => m.code === 'sodium_above');
    expect(s?.severity).toBe('suggestion');
    expect(s?.message).toContain('Pepperoni pizza');
    expect(s?.source).toBe(targets.sources.sodium_max_mg);
    expect(w.messages.some((m) => m.code === 'sugar_above')).toBe(false); // sugar stayed under on every day
    for (const text of allMessages(w)) expect(findBannedWording(text)).toEqual([]);
    const sweet = computeWeeklyInsight(
      input(['24', '25'].map((d) => meal(`s${d}`, `2026-03-${d}T15:00:00Z`, 'snack', [cola(), cola(), oats()]))),
    );
    const sugar = sweet.messages.find((m) => m.code === 'sugar_above');
    expect(sugar?.caveat ?? '').toMatch(/total sugar/i);
    expect(sugar?.message).toContain('on 2 of 2 logged days');
    for (const text of allMessages(sweet)) expect(findBannedWording(text)).toEqual([]);
  });

  it('very low intake pattern: routed to review, no limit advice, nothing about eating less', () => {
    const small = (id: string, date: string, hour: string) =>
      meal(id, `${date}T${hour}:00:00Z`, 'lunch', [
        item('Crackers', 30, { kcal: 250, sodium_mg: 1200, satfat_g: 12, sugar_g: 30 }),
      ]);
    const meals = ['23', '24', '25'].flatMap((d) => [
      small(`a${d}`, `2026-03-${d}`, '08'),
      small(`b${d}`, `2026-03-${d}`, '13'),
    ]);
    const w = computeWeeklyInsight(input(meals));
    expect(w.lowIntakeDays).toBe(3);
    expect(w.needsReview).toBe(true);
    const codes = w.messages.map((m) => m.code);
    expect(codes[0]).toBe('low_intake_review');
    for (const c of ['sodium_above', 'satfat_above', 'sugar_above', 'energy_above_estimate', 'trend_sodium_down'])
      expect(codes).not.toContain(c);
    for (const text of allMessages(w)) {
      expect(findBannedWording(text)).toEqual([]);
      expect(text).not.toMatch(/\b(less|fewer|reduce|lower|limit)\b/i);
    }
  });

  it('one-meal days under the floor are not treated as a low intake pattern (likely partial logging)', () => {
    const meals = ['23', '24', '25', '26'].map((d) =>
      meal(`s${d}`, `2026-03-${d}T12:00:00Z`, 'lunch', [item('Soup', 300, { kcal: 200 })]),
    );
    expect(computeWeeklyInsight(input(meals)).needsReview).toBe(false);
  });

  it('every fixture yields clean wording and a fixed message order', () => {
    const weeks = [fixture().meals, [], [meal('x', '2026-03-25T12:00:00Z', 'dinner', [pizza(), cola()])]];
    for (const meals of weeks) {
      const w = computeWeeklyInsight(input(meals));
      for (const text of allMessages(w)) expect(findBannedWording(text)).toEqual([]);
      for (const m of w.messages) expect(m.source.length).toBeGreaterThan(0);
      expect(computeWeeklyInsight(input([...meals].reverse())).messages).toEqual(w.messages);
    }
  });
});

/** A small XML well-formedness check: balanced tags, one root, quoted unique attributes, no raw '<' or stray '&'. */
function xmlErrors(xml: string): string[] {
  const errors: string[] = [];
  const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const checkText = (t: string, where: string) => {
    if (t.includes('<') || t.includes('>')) errors.push(`raw < or > in ${where}: ${t.slice(0, 40)}`);
    if (badAmp.test(t)) errors.push(`unescaped & in ${where}: ${t.slice(0, 40)}`);
  };
  const tagRe =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  for (const m of xml.matchAll(tagRe)) {
    const text = xml.slice(last, m.index);
    if (stack.length === 0 && text.trim() !== '') errors.push(`text outside the root: ${text.trim().slice(0, 40)}`);
    checkText(text, 'text');
    last = (m.index ?? 0) + m[0].length;
    if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue;
    const [, close, name = '', attrs = '', self] = m;
    if (close) {
      if (attrs.trim() || self) errors.push(`bad end tag </${name}>`);
      const open = stack.pop();
      if (open !== name) errors.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const seen = new Set<string>();
    for (const a of attrs.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (seen.has(a[1] ?? '')) errors.push(`duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1] ?? '');
      checkText(a[2] ?? a[3] ?? '', `attribute ${a[1]}`);
    }
    if (stack.length === 0) roots++;
    if (!self) stack.push(name);
  }
  const tail = xml.slice(last);
  if (tail.trim() !== '') errors.push(`trailing or unparsable text: ${tail.trim().slice(0, 40)}`);
  if (stack.length > 0) errors.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) errors.push(`expected one root element, found ${roots}`);
  return errors;
}

describe('xmlErrors (the test helper itself)', () => {
  it('accepts well-formed XML and rejects broken XML', () => {
    expect(xmlErrors('<a x="1"><b/><c>t &amp; u</c></a>')).toEqual([]);
    expect(xmlErrors('<a><b></a>')).not.toEqual([]);
    expect(xmlErrors('<a>x & y</a>')).not.toEqual([]);
    expect(xmlErrors('<a>x < y</a>')).not.toEqual([]);
    expect(xmlErrors('<a x=1></a>')).not.toEqual([]);
    expect(xmlErrors('<a x="1" x="2"></a>')).not.toEqual([]);
    expect(xmlErrors('<a></a><b></b>')).not.toEqual([]);
    expect(xmlErrors('<a>')).not.toEqual([]);
  });
});

describe('renderWeeklyChartSvg', () => {
  const w = computeWeeklyInsight(input(fixture().meals));
  const svg = renderWeeklyChartSvg(w, { title: 'Week <&> "one"' });

  it('is a well-formed standalone SVG with xmlns, viewBox, width and height', () => {
    expect(xmlErrors(svg)).toEqual([]);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="420" viewBox="0 0 640 420"/,
    );
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('has 7 bars, day labels, kcal ticks, axis labels, a target line and a title', () => {
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(7);
    const xTicks = [...svg.matchAll(/<text class="x-tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(xTicks).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    const yTicks = [...svg.matchAll(/<text class="y-tick"[^>]*>([^<]*)<\/text>/g)].map((m) =>
      Number(m[1]?.replace(/,/g, '')),
    );
    expect(yTicks[0]).toBe(0);
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(Math.max(targets.kcal, ...w.days.map((d) => d.totals.kcal)));
    expect(svg).toContain('kcal per day');
    expect(svg).toContain('Day of week');
    expect(svg).toContain('class="target-line"');
    expect(svg).toContain('Estimated need 2,000 kcal');
    expect(svg).toContain('<title id="chart-title">Week &lt;&amp;&gt; &quot;one&quot;</title>');
  });

  it('bar heights follow daily energy', () => {
    const heights = [...svg.matchAll(/<rect class="bar"[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[3]).toBe(0);
    expect(heights[6]).toBe(0);
    const monday = w.days[0]!.totals.kcal;
    const tuesday = w.days[1]!.totals.kcal;
    expect((heights[0] ?? 0) / (heights[1] ?? 1)).toBeCloseTo(monday / tuesday, 2);
  });

  it('shows the macro energy split with labels', () => {
    expect(svg.match(/<rect class="macro-seg"/g)).toHaveLength(3);
    const labels = [...svg.matchAll(/<text class="macro-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    expect(labels.map((l) => l.replace(/ \d+ %$/, ''))).toEqual(['Protein', 'Fat', 'Carbohydrate']);
    const pct = labels.map((l) => Number(/(\d+) %$/.exec(l)?.[1]));
    expect(pct.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(99);
    expect(pct.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(101);
  });

  it('escapes item names and has no scripts or external resources', () => {
    const colaWeek = computeWeeklyInsight(input([meal('c', '2026-03-25T12:00:00Z', 'snack', [cola()])]));
    const out = renderWeeklyChartSvg(colaWeek);
    expect(xmlErrors(out)).toEqual([]);
    expect(out).toContain('Cola &lt;&amp;&gt; &quot;zero&quot;');
    expect(out).not.toContain('<&>');
    for (const s of [svg, out]) {
      expect(s).not.toMatch(/<script|href=|xlink|url\(|<image|<foreignObject|\bon[a-z]+=/i);
      expect(s.match(/https?:\/\//g)).toEqual(['http://']); // only the SVG namespace
    }
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('renders an empty week and is deterministic', () => {
    const empty = renderWeeklyChartSvg(computeWeeklyInsight(input([])));
    expect(xmlErrors(empty)).toEqual([]);
    expect(empty.match(/<rect class="bar"/g)).toHaveLength(7);
    expect(empty).toContain('No meals logged');
    expect(empty).not.toContain('target-line'); // no averages, so no target known...
    expect(renderWeeklyChartSvg(computeWeeklyInsight(input([])), { targetKcal: 1800 })).toContain(
      'Estimated need 1,800 kcal',
    );
    expect(renderWeeklyChartSvg(w, { title: 'Week <&> "one"' })).toBe(svg);
  });
});
