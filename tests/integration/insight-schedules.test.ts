import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insightScheduleId as personScheduleId } from '../../src/contracts/weekly-insight';
import { type Harness, eventually, startHarness } from '../support/harness';
import { matchingTimes } from '../support/schedule-times';
import { seedAnalysedMeals } from '../support/seed-meals';

/** Per-person weekly insight schedules as real Temporal Schedules in the person's zone. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for await (const s of h.temporal.schedule.list())
    await h.temporal.schedule
      .getHandle(s.scheduleId)
      .delete()
      .catch(() => {});
  await h?.stop();
});

describe('PUT /v1/me/insights-schedule', () => {
  it('rejects an unknown zone, day or time with a validation envelope and creates nothing', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    for (const body of [
      { dayOfWeek: 'monday', time: '08:00', timezone: 'Mars/Olympus' },
      { dayOfWeek: 'funday', time: '08:00', timezone: 'UTC' },
      { dayOfWeek: 'monday', time: '24:00', timezone: 'UTC' },
      { dayOfWeek: 'monday', time: '8am', timezone: 'UTC' },
      { dayOfWeek: 'monday', time: '08:60', timezone: 'UTC' },
      { dayOfWeek: 'monday', time: '08:00', timezone: 'UTC', extra: 1 },
    ]) {
      const res = await h.call('PUT', '/v1/me/insights-schedule', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.error.category).toBe('validation');
    }
    expect((await h.call('GET', '/v1/me/insights-schedule', { token })).status).toBe(404);
    expect((await h.call('DELETE', '/v1/me/insights-schedule', { token })).status).toBe(404);
  });

  it('Monday 08:00 Europe/Berlin fires at 08:00 local on both sides of each daylight-saving change', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const created = await h.call('PUT', '/v1/me/insights-schedule', {
      token,
      body: { dayOfWeek: 'Monday', time: '08:00', timezone: 'Europe/Berlin' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      scheduleId: personScheduleId(user),
      dayOfWeek: 'monday',
      time: '08:00',
      timezone: 'Europe/Berlin',
      paused: false,
    });
    expect(created.json.nextRuns.length).toBeGreaterThan(0);

    // 2027: summer time starts Sunday 28 March, ends Sunday 31 October. 08:00 CET = 07:00Z, 08:00 CEST = 06:00Z.
    expect(await matchingTimes(h, personScheduleId(user), '2027-03-15T00:00:00Z', '2027-04-06T00:00:00Z')).toEqual([
      '2027-03-15T07:00:00.000Z',
      '2027-03-22T07:00:00.000Z',
      '2027-03-29T06:00:00.000Z',
      '2027-04-05T06:00:00.000Z',
    ]);
    expect(await matchingTimes(h, personScheduleId(user), '2027-10-18T00:00:00Z', '2027-11-09T00:00:00Z')).toEqual([
      '2027-10-18T06:00:00.000Z',
      '2027-10-25T06:00:00.000Z',
      '2027-11-01T07:00:00.000Z',
      '2027-11-08T07:00:00.000Z',
    ]);

    // Changing it updates the same schedule; deleting removes it.
    const updated = await h.call('PUT', '/v1/me/insights-schedule', {
      token,
      body: { dayOfWeek: 'sunday', time: '19:30', timezone: 'America/New_York' },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ dayOfWeek: 'sunday', time: '19:30', timezone: 'America/New_York' });
    for (const t of updated.json.nextRuns)
      expect(
        new Intl.DateTimeFormat('en-US', {
          timeZone: 'America/New_York',
          weekday: 'long',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(t)),
      ).toBe('Sunday 19:30');
    expect((await h.call('DELETE', '/v1/me/insights-schedule', { token })).status).toBe(204);
    expect((await h.call('GET', '/v1/me/insights-schedule', { token })).status).toBe(404);
  });

  it("a scheduled run computes the person's last complete week in their zone", async () => {
    const user = h.newUser();
    const token = await h.token(user);
    // The week of 2025-05-05 in Berlin (UTC+2 in May) runs from Sunday 22:00Z to Sunday 22:00Z.
    await seedAnalysedMeals(h.database, [
      { userId: user, eatenAt: '2025-05-05T10:00:00Z', kcal: 600 },
      { userId: user, eatenAt: '2025-05-11T21:30:00Z', kcal: 400 }, // Sunday 23:30 Berlin: in the week
      { userId: user, eatenAt: '2025-05-11T22:30:00Z', kcal: 999 }, // Monday 00:30 Berlin: the next week
    ]);
    expect(
      (
        await h.call('PUT', '/v1/me/insights-schedule', {
          token,
          body: { dayOfWeek: 'monday', time: '08:00', timezone: 'Europe/Berlin' },
        })
      ).status,
    ).toBe(201);
    // Run the time it would have fired on Monday 2025-05-12 08:00 Berlin (06:00Z).
    await h.temporal.schedule
      .getHandle(personScheduleId(user))
      .backfill({ start: new Date('2025-05-12T05:00:00Z'), end: new Date('2025-05-12T07:00:00Z') });
    const insight = await eventually(async () => {
      const r = await h.call('GET', '/v1/insights/weekly?weekStart=2025-05-05', { token });
      return r.status === 200 ? r.json : undefined;
    }, 30_000);
    expect(insight.timezone).toBe('Europe/Berlin');
    expect(insight.mealCount).toBe(2);
    expect(insight.days[0].totals.kcal).toBe(600);
    expect(insight.days[6].totals.kcal).toBe(400);
  });
});
