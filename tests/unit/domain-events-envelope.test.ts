import { describe, expect, it } from 'vitest';
import {
  buildDomainEvent,
  CASE_EVENTS,
  caseEventType,
  EVENT_TYPES,
  subjectFor,
} from '../../src/adapters/events/schema';
import { parseDomainEvent } from '../../src/adapters/events/envelope-schema';
import { CRISIS_EVENTS, natsSubjectFor } from '../../src/adapters/notify/types';
import { AT, CASE, INSIGHT, MEAL, RUN } from '../support/domain-event-fixtures';

describe('the envelope', () => {
  const meal = () =>
    buildDomainEvent('meal.analyzed', { mealId: MEAL, userId: 'alice', outcome: 'completed' }, { key: MEAL, time: AT });

  it('is a CloudEvents 1.0 envelope with ids only in data', () => {
    expect(meal()).toEqual({
      specversion: '1.0',
      id: `meal.analyzed:${MEAL}`,
      type: 'meal.analyzed',
      source: 'wellflow',
      time: AT,
      subject: MEAL,
      data: { mealId: MEAL, userId: 'alice', outcome: 'completed' },
    });
    expect(parseDomainEvent(JSON.parse(JSON.stringify(meal())))).toEqual(meal());
  });

  it('is deterministic per business fact: a retry builds the identical message', () => {
    expect(JSON.stringify(meal())).toBe(JSON.stringify(meal()));
    const insight = (computedAt: string) =>
      buildDomainEvent(
        'insight.generated',
        { insightId: INSIGHT, userId: 'alice', weekStart: '2026-11-16', mealCount: 5 },
        { key: `${INSIGHT}:${computedAt}`, time: computedAt },
      );
    expect(insight(AT).id).toBe(`insight.generated:${INSIGHT}:${AT}`);
    expect(insight(AT)).toEqual(insight(AT));
    // a recomputation of the same week is a new fact: same insightId, another id
    expect(insight('2026-11-23T07:00:00.000Z').id).not.toBe(insight(AT).id);
    const opened = buildDomainEvent(
      'crisis.case.opened',
      { caseId: CASE, userId: 'bob', tier: 'high', status: 'open', level: 0 },
      { key: `${CASE}:${RUN}:1`, time: AT },
    );
    expect(opened).toMatchObject({ id: `crisis.case.opened:${CASE}:${RUN}:1`, subject: CASE, time: AT });
  });

  it('normalises the time to UTC ISO 8601', () => {
    const e = buildDomainEvent(
      'meal.analyzed',
      { mealId: MEAL, userId: 'alice', outcome: 'failed' },
      { key: MEAL, time: '2026-11-16T09:00:02.113+01:00' },
    );
    expect(e.time).toBe(AT);
  });

  it('drops anything but the whitelisted data fields a caller passes', () => {
    const poisoned = {
      mealId: MEAL,
      userId: 'alice',
      outcome: 'completed',
      description: '2 eggs and toast',
      totals: { kcal: 300 },
      items: [{ name: 'egg' }],
      text: 'I feel awful',
    };
    const e = buildDomainEvent('meal.analyzed', poisoned as never, { key: MEAL, time: AT });
    const raw = JSON.stringify(e);
    expect(Object.keys(e.data).sort()).toEqual(['mealId', 'outcome', 'userId']);
    expect(raw).not.toMatch(/egg|toast|kcal|awful/i);
  });

  it('rejects values that are not ids or statuses', () => {
    const bad = [
      () =>
        buildDomainEvent(
          'meal.analyzed',
          { mealId: 'two eggs', userId: 'alice', outcome: 'completed' },
          { key: MEAL, time: AT },
        ),
      () =>
        buildDomainEvent(
          'meal.analyzed',
          { mealId: MEAL, userId: 'I am going to hurt myself', outcome: 'completed' },
          { key: MEAL, time: AT },
        ),
      () =>
        buildDomainEvent(
          'meal.analyzed',
          { mealId: MEAL, userId: 'alice', outcome: 'delicious' as never },
          { key: MEAL, time: AT },
        ),
      () =>
        buildDomainEvent(
          'crisis.case.opened',
          { caseId: CASE, userId: 'bob', tier: 'severe' as never, status: 'open', level: 0 },
          { key: CASE, time: AT },
        ),
      () =>
        buildDomainEvent(
          'insight.generated',
          { insightId: INSIGHT, userId: 'a', weekStart: 'last week', mealCount: 1 },
          { key: INSIGHT, time: AT },
        ),
      () =>
        buildDomainEvent(
          'meal.analyzed',
          { mealId: MEAL, userId: 'alice', outcome: 'completed' },
          { key: 'has spaces', time: AT },
        ),
      () =>
        buildDomainEvent(
          'meal.analyzed',
          { mealId: MEAL, userId: 'alice', outcome: 'completed' },
          { key: MEAL, time: 'yesterday' },
        ),
    ];
    for (const f of bad) expect(f).toThrow();
  });

  it('parseDomainEvent refuses unknown fields anywhere and unknown types', () => {
    const e = JSON.parse(
      JSON.stringify(
        buildDomainEvent('meal.analyzed', { mealId: MEAL, userId: 'a', outcome: 'completed' }, { key: MEAL, time: AT }),
      ),
    );
    expect(() => parseDomainEvent({ ...e, extra: 1 })).toThrow();
    expect(() => parseDomainEvent({ ...e, data: { ...e.data, description: 'eggs' } })).toThrow();
    expect(() => parseDomainEvent({ ...e, id: 'insight.generated:x' })).toThrow();
    expect(() => parseDomainEvent({ ...e, type: 'meal.eaten' })).toThrow();
  });
});

describe('subjects', () => {
  it('are wellflow.<type>', () => {
    expect(subjectFor('meal.analyzed')).toBe('wellflow.meal.analyzed');
    expect(subjectFor('insight.generated')).toBe('wellflow.insight.generated');
    expect(subjectFor('crisis.case.acknowledged')).toBe('wellflow.crisis.case.acknowledged');
  });

  it('never share a subject with the staff alerts (one message shape per subject)', () => {
    const alerts = new Set(CRISIS_EVENTS.map(natsSubjectFor));
    expect(EVENT_TYPES.map(subjectFor).filter((s) => alerts.has(s))).toEqual([]);
  });

  it('publish crisis state transitions only', () => {
    expect(CASE_EVENTS.map(caseEventType)).toEqual(CASE_EVENTS.map((e) => `crisis.case.${e}`));
    for (const t of ['notified', 'renotified', 'flagged', 'follow_up', 'note', 'notify_failed'])
      expect(caseEventType(t)).toBeUndefined();
  });
});
