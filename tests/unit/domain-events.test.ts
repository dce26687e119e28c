import fs from 'node:fs';
import path from 'node:path';
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { createCrisisActivities } from '../../src/activities/crisis';
import {
  createEventPublisher,
  type EventPublisher,
  type PublishOptions,
  publishDomainEvent,
} from '../../src/adapters/events/publisher';
import {
  buildDomainEvent,
  CASE_EVENTS,
  type DomainEnvelope,
  caseEventType,
  EVENT_TYPES,
  eventJsonSchemas,
  parseDomainEvent,
  SCHEMA_GROUPS,
  subjectFor,
} from '../../src/adapters/events/schema';
import { documentedSchemas, renderSchemaBlocks } from '../../src/adapters/events/schema-doc';
import { CRISIS_EVENTS, natsSubjectFor } from '../../src/adapters/notify/types';
import { createLogger } from '../../src/logger';
import { WEEKLY_INSIGHT_STEPS } from '../../src/contracts/weekly-insight.policy';

const MEAL = '6f1c2a4e-1b7d-4c1e-9a55-3f1b2c3d4e5f';
const INSIGHT = '0b9d7c1e-2f3a-4b5c-8d6e-7f8091a2b3c4';
const CASE = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const RUN = '11111111-2222-4333-8444-555555555555';
const AT = '2026-11-16T08:00:02.113Z';

/**
 * Every field name a domain event may contain, anywhere. Adding one is a deliberate contract change: it must
 * be an id, a status, a date or a count, never something a person wrote or a health measurement.
 */
const ALLOWED_FIELDS = new Set([
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'subject',
  'data',
  'mealId',
  'userId',
  'outcome',
  'insightId',
  'weekStart',
  'mealCount',
  'caseId',
  'tier',
  'status',
  'level',
  'runId',
  'failing', // ops.unhealthy: a run id and health-check names
  'taskId', // task.*: ids, the task status, a run's outcome and trigger (enums)
  'executionId',
  'trigger',
]);
/** Names that would carry health content; none may ever appear (a second, explicit guard). */
const FORBIDDEN =
  /description|text|note|totals?|items?|nutrient|kcal|calor|messages?|feedback|label|entry|journal|reason|outcomeText|mood|screen/i;

type Json = Record<string, unknown>;
/** Every object schema in a JSON Schema, with the path to it. */
function objectSchemas(schema: Json, at = '$'): { at: string; schema: Json }[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const here = schema.type === 'object' ? [{ at, schema }] : [];
  return [...here, ...Object.entries(props).flatMap(([k, v]) => objectSchemas(v, `${at}.${k}`))];
}

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

describe('JSON Schemas: no field could carry health content', () => {
  const schemas = eventJsonSchemas();

  it('cover every event type', () => {
    expect(Object.values(SCHEMA_GROUPS).flat().sort()).toEqual([...EVENT_TYPES].sort());
  });

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: closed objects of whitelisted fields, each an id, date, count or enum`, () => {
      const objects = objectSchemas(schema);
      expect(objects.map((o) => o.at)).toEqual(['$', '$.data']);
      for (const { at, schema: obj } of objects) {
        expect(obj.additionalProperties, `${at} must be closed`).toBe(false);
        for (const [field, prop] of Object.entries(obj.properties as Record<string, Json>)) {
          expect(ALLOWED_FIELDS.has(field), `${at}.${field} is not a whitelisted field`).toBe(true);
          expect(field, `${at}.${field}`).not.toMatch(FORBIDDEN);
          if (prop.type === 'string') {
            // no free text: a string is a constant, an enum, a format or a bounded pattern
            const constrained =
              'const' in prop || 'enum' in prop || 'format' in prop || ('pattern' in prop && 'maxLength' in prop);
            expect(constrained, `${at}.${field} is an unconstrained string`).toBe(true);
          } else if (prop.type !== 'object') {
            expect(prop.type, `${at}.${field}`).toBe('integer');
          }
          expect(prop.type, `${at}.${field} is an array`).not.toBe('array');
        }
      }
    });
  }
});

describe('docs/events.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'events.md'), 'utf8');

  it('shows exactly the generated JSON Schemas (run `node scripts/print-event-schemas.mjs --write`)', () => {
    expect(documentedSchemas(doc)).toEqual(eventJsonSchemas());
    expect(renderSchemaBlocks(doc)).toBe(doc);
  });

  it('names every subject', () => {
    for (const t of EVENT_TYPES) expect(doc).toContain(`\`${subjectFor(t)}\``);
  });
});

describe('publishing', () => {
  it('sends a domain event to wellflow.<type> with its id as Nats-Msg-Id', async () => {
    const sent: { subject: string; event: DomainEnvelope; options?: PublishOptions }[] = [];
    const fake: EventPublisher = {
      kind: 'log',
      publish: async (subject, event, options) => void sent.push({ subject, event, options }),
      close: async () => {},
    };
    const e = buildDomainEvent(
      'crisis.case.closed',
      { caseId: CASE, userId: 'bob', tier: 'high', status: 'closed', level: 2 },
      { key: `${CASE}:${RUN}:9`, time: AT },
    );
    await publishDomainEvent(fake, e);
    expect(sent).toEqual([{ subject: 'wellflow.crisis.case.closed', event: e, options: { msgId: e.id } }]);
  });

  it('without NATS_URL, logs the event (ids only) with its id', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (s: string) => void lines.push(s) } as never);
    const e = buildDomainEvent(
      'meal.analyzed',
      { mealId: MEAL, userId: 'alice', outcome: 'completed' },
      { key: MEAL, time: AT },
    );
    await publishDomainEvent(createEventPublisher(undefined, logger), e);
    const line = JSON.parse(lines.join('')) as Json;
    expect(line).toMatchObject({ component: 'events', subject: 'wellflow.meal.analyzed', msgId: e.id, event: e });
  });

  it('the insight publish step is optional, with a reason', () => {
    expect(WEEKLY_INSIGHT_STEPS.publish).toMatchObject({ activity: 'publishInsightEvent', required: false });
    expect(WEEKLY_INSIGHT_STEPS.publish.reason).toMatch(/stored either way/);
    expect(Object.keys(WEEKLY_INSIGHT_STEPS)).toEqual(['compute', 'publish']);
  });
});

describe('crisis case events', () => {
  const inActivity = <T>(fn: () => Promise<T>) =>
    asyncLocalStorage.run(
      {
        info: {
          activityType: 'publishCaseEvent',
          attempt: 1,
          workflowExecution: { workflowId: 'crisis-bob', runId: RUN },
        },
      } as unknown as Context,
      fn,
    );
  const setup = (publish: EventPublisher['publish']) => {
    const logger = createLogger('silent');
    const crisis = { get: async () => ({ tier: 'high', status: 'open', level: 0 }) };
    const acts = createCrisisActivities({
      crisis,
      logger,
      events: { kind: 'nats', publish, close: async () => {} },
    } as never);
    const publishEvent = (type: string, seq: number, patch: Record<string, unknown>) =>
      inActivity(() =>
        acts.publishCaseEvent({ caseId: CASE, userId: 'bob', eventKey: `${CASE}:${RUN}:${seq}`, type, at: AT, patch }),
      );
    return { publishEvent };
  };

  it('publishes state transitions with the case state after them, and nothing for other timeline entries', async () => {
    const sent: { subject: string; event: DomainEnvelope; options?: PublishOptions }[] = [];
    const t = setup(async (subject, event, options) => void sent.push({ subject, event, options }));
    await t.publishEvent('notified', 1, { level: 0 });
    await t.publishEvent('escalated', 2, { level: 1 });
    expect(sent).toEqual([
      {
        subject: 'wellflow.crisis.case.escalated',
        event: {
          specversion: '1.0',
          id: `crisis.case.escalated:${CASE}:${RUN}:2`,
          type: 'crisis.case.escalated',
          source: 'wellflow',
          time: AT,
          subject: CASE,
          data: { caseId: CASE, userId: 'bob', tier: 'high', status: 'open', level: 1 },
        },
        options: { msgId: `crisis.case.escalated:${CASE}:${RUN}:2` },
      },
    ]);
    expect(JSON.stringify(sent)).not.toContain('clinician');
  });

  it('fails the activity when NATS is down, so Temporal retries it (at-least-once), with the same event id', async () => {
    const ids: string[] = [];
    let calls = 0;
    const t = setup(async (_subject, event) => {
      ids.push(String(event.id));
      if (++calls === 1) throw new Error('NATS is not reachable');
    });
    await expect(t.publishEvent('resolved', 4, { status: 'resolved' })).rejects.toThrow(/NATS/);
    await t.publishEvent('resolved', 4, { status: 'resolved' });
    expect(ids).toEqual([`crisis.case.resolved:${CASE}:${RUN}:4`, `crisis.case.resolved:${CASE}:${RUN}:4`]);
  });
});
