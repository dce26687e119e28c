import { describe, it, expect } from 'vitest';
import { findBannedWording } from '../../src/domain/feedback';
import { computeWeeklyInsight } from '../../src/domain/insights';
import { cola, fixture, input, item, meal, oats, pizza, targets } from '../support/insight-fixtures';

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
