import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { createCrisisActivities } from '../../src/activities/crisis';
import {
  createEventPublisher,
  type EventPublisher,
  type PublishOptions,
  publishDomainEvent,
} from '../../src/adapters/events/publisher';
import { buildDomainEvent, type DomainEnvelope } from '../../src/adapters/events/schema';
import { createLogger } from '../../src/logger';
import { WEEKLY_INSIGHT_STEPS } from '../../src/contracts/weekly-insight.policy';
import { AT, CASE, type Json, MEAL, RUN } from '../support/domain-event-fixtures';

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
