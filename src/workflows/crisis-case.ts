import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CrisisActivities } from '../activities/crisis';
import { StatusKey } from '../temporal/search-attributes';
import {
  CASE_HISTORY_LIMIT,
  CASE_TIERS,
  type CaseTier,
  CRISIS_CASE_STEPS,
  type CrisisPolicy,
} from './crisis-case.policy';
import { describeFailure, proxiesFor } from './step-runner';

export type CaseStatus = 'open' | 'acknowledged' | 'resolved' | 'closed';

export interface CrisisCaseInput {
  caseId: string;
  userId: string;
  tier: CaseTier;
  entryId: string;
  /** The policy table as it was when the case opened (later changes do not alter a running case). */
  policy: CrisisPolicy;
  /** CRISIS_TIME_SCALE: every deadline and follow-up delay is multiplied by it. */
  timeScale: number;
  /** State carried over by continue-as-new; absent on the first run. */
  carried?: { status: CaseStatus; level: number; acknowledgedBy?: string; followUpsDone: number; resolvedAt?: number };
}

export interface CaseProgress {
  caseId: string;
  status: CaseStatus;
  tier: CaseTier;
  level: number;
  recipient: string;
  ackDeadline?: string;
  acknowledgedBy?: string;
  followUpsDone: number;
}

export const flaggedSignal = defineSignal<[{ entryId: string; tier: CaseTier }]>('flagged');
export const acknowledgeUpdate = defineUpdate<
  { caseId: string; status: CaseStatus; acknowledgedBy: string; duplicate: boolean },
  [{ staffId: string }]
>('acknowledge');
export const resolveUpdate = defineUpdate<
  { caseId: string; status: CaseStatus },
  [{ staffId: string; outcome: string }]
>('resolve');
export const caseProgressQuery = defineQuery<CaseProgress>('progress');

const acts = proxiesFor<CrisisActivities, keyof typeof CRISIS_CASE_STEPS>(CRISIS_CASE_STEPS);
const rank = (t: CaseTier) => CASE_TIERS.indexOf(t);

/**
 * One open case per person (`crisis-<userId>`). Notify the current level, wait for an acknowledgement until
 * the deadline (a durable server-side timer: worker deaths and restarts do not move it), climb the ladder
 * when nobody answers, re-notify at the top. After acknowledgement: resolve, then follow-ups on durable
 * timers; a new high-tier entry re-opens escalation. Every event goes to the audit timeline.
 */
export async function crisisCase(input: CrisisCaseInput): Promise<{ caseId: string; status: CaseStatus }> {
  const { caseId } = input;
  let tier: CaseTier = input.tier;
  let status: CaseStatus = input.carried?.status ?? 'open';
  let level = input.carried?.level ?? 0;
  let acknowledgedBy = input.carried?.acknowledgedBy;
  let followUpsDone = input.carried?.followUpsDone ?? 0;
  let resolvedAt = input.carried?.resolvedAt;
  let ackDeadline: number | undefined;
  let raised = false; // a higher tier arrived while waiting
  let seq = 0; // event keys: unique per case and stable across replays
  const scaled = (ms: number) => Math.max(1, Math.round(ms * input.timeScale));
  const policy = () => input.policy[tier];
  const recipient = () => policy().ladder[Math.min(level, policy().ladder.length - 1)]!;

  // Deliveries run beside the ladder, never in front of it: a failing notifier cannot delay escalation,
  // and a delivery that finally fails is itself an audit event.
  const deliveries: Promise<void>[] = [];
  const record = async (
    type: string,
    actor: string,
    data: Record<string, unknown> = {},
    patch: Record<string, unknown> = {},
  ) => {
    const n = ++seq;
    const entry = {
      caseId,
      userId: input.userId,
      eventKey: `${caseId}:${workflowInfo().runId}:${n}`,
      seq: n,
      type,
      actor,
      at: new Date(Date.now()).toISOString(),
      data,
      patch,
    };
    await acts.record.recordCaseEvent(entry);
    // The domain event for the entry (when it is a state transition), beside the ladder like deliveries.
    // patched(): runs started before this step existed replay without it.
    if (patched('case-domain-events')) {
      deliveries.push(
        acts.publish
          .publishCaseEvent({ caseId, userId: input.userId, eventKey: entry.eventKey, type, at: entry.at, patch })
          .catch(() => {}),
      );
    }
  };
  const notify = (event: string) => {
    const n = {
      event,
      caseId,
      userId: input.userId,
      tier,
      level,
      recipient: recipient(),
      ...(ackDeadline ? { ackDeadline: new Date(ackDeadline).toISOString() } : {}),
      notificationId: `${caseId}:${workflowInfo().runId}:n${++seq}`,
    };
    deliveries.push(
      acts.notify.notifyStaff(n).catch(async (err: unknown) => {
        if (isCancellation(err)) return;
        await record('notify_failed', 'system', {
          event,
          level: n.level,
          recipient: n.recipient,
          error: describeFailure(err),
        });
      }),
    );
  };
  const setStatus = (s: CaseStatus) => {
    status = s;
    upsertSearchAttributes([{ key: StatusKey, value: s }]);
  };

  setHandler(caseProgressQuery, () => ({
    caseId,
    status,
    tier,
    level,
    recipient: recipient(),
    followUpsDone,
    ...(ackDeadline ? { ackDeadline: new Date(ackDeadline).toISOString() } : {}),
    ...(acknowledgedBy ? { acknowledgedBy } : {}),
  }));
  setHandler(flaggedSignal, async ({ entryId, tier: incoming }) => {
    // Signal-with-start delivers the opening entry as a signal too; it is already the "opened" event.
    if (entryId === input.entryId && !input.carried) return;
    const higher = rank(incoming) > rank(tier);
    // Automation may raise a tier, never lower it.
    if (higher) tier = incoming;
    await record(higher ? 'tier_raised' : 'flagged', 'screening', { entryId, tier: incoming }, higher ? { tier } : {});
    if (higher && (status === 'open' || (status === 'resolved' && rank(incoming) >= rank('high')))) raised = true;
  });
  setHandler(
    acknowledgeUpdate,
    async ({ staffId }) => {
      if (status === 'acknowledged') return { caseId, status, acknowledgedBy: acknowledgedBy!, duplicate: true };
      acknowledgedBy = staffId;
      setStatus('acknowledged');
      await record(
        'acknowledged',
        staffId,
        { level },
        { status, acknowledgedBy: staffId, acknowledgedAt: new Date(Date.now()).toISOString() },
      );
      return { caseId, status, acknowledgedBy: staffId, duplicate: false };
    },
    {
      validator: ({ staffId }) => {
        if (!staffId) throw new Error('staffId is required');
        if (status === 'resolved' || status === 'closed')
          throw new Error(`This case is ${status}; it cannot be acknowledged`);
      },
    },
  );
  setHandler(
    resolveUpdate,
    async ({ staffId, outcome }) => {
      setStatus('resolved');
      resolvedAt = Date.now();
      followUpsDone = 0;
      await record(
        'resolved',
        staffId,
        { outcome },
        { status, outcome, resolvedAt: new Date(resolvedAt).toISOString() },
      );
      return { caseId, status };
    },
    {
      validator: ({ staffId, outcome }) => {
        if (!staffId || !outcome) throw new Error('staffId and outcome are required');
        if (status === 'open') throw new Error('Acknowledge the case before resolving it');
        if (status === 'resolved' || status === 'closed') throw new Error(`This case is already ${status}`);
      },
    },
  );

  if (!input.carried) await record('opened', 'screening', { entryId: input.entryId, tier }, { status, tier, level });

  for (;;) {
    // Escalation: until someone acknowledges.
    let fresh = true;
    while (status === 'open') {
      if (workflowInfo().historyLength > CASE_HISTORY_LIMIT) {
        return continueAsNew<typeof crisisCase>({
          ...input,
          tier,
          carried: { status, level, followUpsDone, ...(acknowledgedBy ? { acknowledgedBy } : {}) },
        });
      }
      // Deadlines follow the case's own schedule: each level's deadline is the previous one plus the tier's
      // window, so a worker outage or slow notifier never shifts when the next escalation is due (a late
      // run catches up at once). A new start or a higher tier starts a fresh window from now.
      ackDeadline =
        fresh || raised || ackDeadline === undefined
          ? Date.now() + scaled(policy().ackDeadlineMs)
          : ackDeadline + scaled(policy().ackDeadlineMs);
      fresh = false;
      raised = false;
      await record(
        'notified',
        'system',
        { level, recipient: recipient(), tier },
        { level, ackDeadline: new Date(ackDeadline).toISOString() },
      );
      notify(level === 0 ? 'case.opened' : 'case.escalated');
      const answered = await condition(() => status !== 'open' || raised, Math.max(1, ackDeadline - Date.now()));
      if (status !== 'open') break;
      if (answered && raised) continue; // a higher tier: notify the same level again under its (shorter) deadline
      if (level < policy().ladder.length - 1) {
        level += 1;
        await record('escalated', 'system', { level, recipient: recipient() }, { level });
      } else {
        await record('renotified', 'system', { level, recipient: recipient() });
      }
    }
    ackDeadline = undefined;

    // Acknowledged: wait for resolution (a human owns the case now; no timers).
    await condition(() => status !== 'acknowledged');

    // Resolved: follow-ups on durable timers; a new high-tier entry re-opens escalation.
    raised = false;
    while (status === 'resolved' && followUpsDone < policy().followUpsMs.length) {
      const dueAt = resolvedAt! + scaled(policy().followUpsMs[followUpsDone]!);
      if (await condition(() => raised, Math.max(1, dueAt - Date.now()))) break;
      followUpsDone += 1;
      await record('follow_up', 'system', { number: followUpsDone, of: policy().followUpsMs.length });
      notify('case.followup_due');
    }
    if (raised) {
      raised = false;
      level = 0;
      acknowledgedBy = undefined;
      setStatus('open');
      await record('reopened', 'screening', { tier }, { status, level, acknowledgedBy: null, acknowledgedAt: null });
      continue;
    }
    setStatus('closed');
    await record(
      'closed',
      'system',
      { followUps: followUpsDone },
      { status, closedAt: new Date(Date.now()).toISOString() },
    );
    notify('case.closed');
    await Promise.all(deliveries);
    await condition(allHandlersFinished); // a late signal's timeline write must land before the run ends
    return { caseId, status };
  }
}
