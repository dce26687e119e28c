import { condition, isCancellation, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CrisisActivities } from '../activities/crisis';
import type { CaseProgress, CrisisCaseInput, FlaggedEntry } from '../contracts/crisis-case';
import { CASE_HISTORY_LIMIT, CRISIS_CASE_STEPS, CRISIS_CASE_STEPS_BEFORE_LOCAL } from '../contracts/crisis-case.policy';
import { StatusKey } from '../contracts/search-attributes';
import { CASE_TIERS, type CaseStatus, type CaseTier } from '../domain/crisis/types';
import { describeFailure, proxiesFor } from './step-runner';

const acts = proxiesFor<CrisisActivities, keyof typeof CRISIS_CASE_STEPS>(CRISIS_CASE_STEPS);
/** Runs started before patch `case-record-local` replay (and go on) with a regular `record` and a `publish` step. */
const actsBeforeLocal = proxiesFor<CrisisActivities, keyof typeof CRISIS_CASE_STEPS_BEFORE_LOCAL>(
  CRISIS_CASE_STEPS_BEFORE_LOCAL,
);
const rank = (t: CaseTier) => CASE_TIERS.indexOf(t);

/**
 * The state of one case run and the steps it takes: the audit timeline, staff notifications, the
 * escalation ladder and the follow-ups. `crisisCase` (crisis-case.ts) sequences the phases; the handlers
 * call `flagged`, `acknowledge` and `resolve`.
 */
export class CaseRun {
  tier: CaseTier;
  status: CaseStatus;
  level: number;
  acknowledgedBy: string | undefined;
  followUpsDone: number;
  resolvedAt: number | undefined;
  ackDeadline: number | undefined;
  /** A higher tier arrived while waiting. */
  raised = false;
  /** Event keys: unique per case and stable across replays. */
  private seq = 0;
  /**
   * patched(): new runs record each timeline entry with its domain event as one local activity, in the
   * workflow task that decided it (a woken case records and notifies in one task); older runs replay theirs.
   */
  readonly local = patched('case-record-local');
  /** Timeline entries being written (local path): continue-as-new waits for them so no entry is dropped. */
  readonly recording = new Set<Promise<void>>();
  /**
   * Deliveries run beside the ladder, never in front of it: a failing notifier cannot delay escalation, and a
   * delivery that finally fails is itself an audit event.
   */
  readonly deliveries: Promise<void>[] = [];
  /** Runs before `case-record-local`: domain events being queued, which continue-as-new waits for (none dropped). */
  readonly publishes: Promise<void>[] = [];

  constructor(readonly input: CrisisCaseInput) {
    this.tier = input.tier;
    this.status = input.carried?.status ?? 'open';
    this.level = input.carried?.level ?? 0;
    this.acknowledgedBy = input.carried?.acknowledgedBy;
    this.followUpsDone = input.carried?.followUpsDone ?? 0;
    this.resolvedAt = input.carried?.resolvedAt;
  }

  private scaled(ms: number): number {
    return Math.max(1, Math.round(ms * this.input.timeScale));
  }

  private get policy() {
    return this.input.policy[this.tier];
  }

  get recipient(): string {
    return this.policy.ladder[Math.min(this.level, this.policy.ladder.length - 1)]!;
  }

  progress(): CaseProgress {
    return {
      caseId: this.input.caseId,
      status: this.status,
      tier: this.tier,
      level: this.level,
      recipient: this.recipient,
      followUpsDone: this.followUpsDone,
      ...(this.ackDeadline ? { ackDeadline: new Date(this.ackDeadline).toISOString() } : {}),
      ...(this.acknowledgedBy ? { acknowledgedBy: this.acknowledgedBy } : {}),
    };
  }

  /** What continue-as-new carries to the next run. */
  carryOver(): CrisisCaseInput {
    const { status, level, followUpsDone, acknowledgedBy } = this;
    return {
      ...this.input,
      tier: this.tier,
      carried: { status, level, followUpsDone, ...(acknowledgedBy ? { acknowledgedBy } : {}) },
    };
  }

  async record(type: string, actor: string, data: Record<string, unknown> = {}, patch: Record<string, unknown> = {}) {
    const { caseId, userId } = this.input;
    const n = ++this.seq;
    const at = new Date(Date.now()).toISOString();
    const entry = {
      caseId,
      userId,
      eventKey: `${caseId}:${workflowInfo().runId}:${n}`,
      seq: n,
      type,
      actor,
      at,
      data,
      patch,
    };
    if (this.local) {
      const written = recordEntry(entry);
      this.recording.add(written);
      return written.finally(() => this.recording.delete(written));
    }
    await actsBeforeLocal.record.recordCaseEvent(entry);
    // The domain event for the entry (when it is a state transition), beside the ladder like deliveries.
    // patched(): runs started before this step existed replay without it.
    if (patched('case-domain-events')) {
      const published = actsBeforeLocal.publish
        .publishCaseEvent({ caseId, userId, eventKey: entry.eventKey, type, at: entry.at, patch })
        .catch(() => {});
      this.deliveries.push(published);
      this.publishes.push(published);
    }
  }

  notify(event: string): void {
    const n = {
      event,
      caseId: this.input.caseId,
      userId: this.input.userId,
      tier: this.tier,
      level: this.level,
      recipient: this.recipient,
      ...(this.ackDeadline ? { ackDeadline: new Date(this.ackDeadline).toISOString() } : {}),
      notificationId: `${this.input.caseId}:${workflowInfo().runId}:n${++this.seq}`,
    };
    this.deliveries.push(
      acts.notify.notifyStaff(n).catch(async (err: unknown) => {
        if (isCancellation(err)) return;
        const error = describeFailure(err);
        await this.record('notify_failed', 'system', { event, level: n.level, recipient: n.recipient, error });
      }),
    );
  }

  setStatus(status: CaseStatus): void {
    this.status = status;
    upsertSearchAttributes([{ key: StatusKey, value: status }]);
  }

  /** A flagged entry joined the case: automation may raise its tier, never lower it. */
  async flagged({ entryId, tier: incoming }: FlaggedEntry): Promise<void> {
    // Signal-with-start delivers the opening entry as a signal too; it is already the "opened" event.
    if (entryId === this.input.entryId && !this.input.carried) return;
    const higher = rank(incoming) > rank(this.tier);
    if (higher) this.tier = incoming;
    const patch = higher ? { tier: this.tier } : {};
    await this.record(higher ? 'tier_raised' : 'flagged', 'screening', { entryId, tier: incoming }, patch);
    const reopens = this.status === 'resolved' && rank(incoming) >= rank('high');
    if (higher && (this.status === 'open' || reopens)) this.raised = true;
  }

  /**
   * Escalation until someone acknowledges: notify the current level, wait for an acknowledgement until the
   * deadline (a durable server-side timer), climb the ladder, re-notify at the top. Returns false when the
   * history grew past its limit and the run must continue as new first.
   */
  async escalate(): Promise<boolean> {
    let fresh = true;
    while (this.status === 'open') {
      if (workflowInfo().historyLength > CASE_HISTORY_LIMIT) return false;
      // Deadlines follow the case's own schedule: each level's deadline is the previous one plus the tier's
      // window, so a worker outage or slow notifier never shifts when the next escalation is due (a late
      // run catches up at once). A new start or a higher tier starts a fresh window from now.
      const window = this.scaled(this.policy.ackDeadlineMs);
      this.ackDeadline =
        fresh || this.raised || this.ackDeadline === undefined ? Date.now() + window : this.ackDeadline + window;
      const deadline = this.ackDeadline;
      fresh = false;
      this.raised = false;
      const patch = { level: this.level, ackDeadline: new Date(deadline).toISOString() };
      await this.record('notified', 'system', { level: this.level, recipient: this.recipient, tier: this.tier }, patch);
      this.notify(this.level === 0 ? 'case.opened' : 'case.escalated');
      const answered = await condition(() => this.status !== 'open' || this.raised, Math.max(1, deadline - Date.now()));
      if (this.status !== 'open') break;
      if (answered && this.raised) continue; // a higher tier: notify the same level again under its deadline
      if (this.level < this.policy.ladder.length - 1) {
        this.level += 1;
        await this.record(
          'escalated',
          'system',
          { level: this.level, recipient: this.recipient },
          { level: this.level },
        );
      } else {
        await this.record('renotified', 'system', { level: this.level, recipient: this.recipient });
      }
    }
    this.ackDeadline = undefined;
    return true;
  }

  /** After resolution: follow-ups on durable timers. True when a new high-tier entry re-opened the case. */
  async followUps(): Promise<boolean> {
    this.raised = false;
    while (this.status === 'resolved' && this.followUpsDone < this.policy.followUpsMs.length) {
      const dueAt = this.resolvedAt! + this.scaled(this.policy.followUpsMs[this.followUpsDone]!);
      if (await condition(() => this.raised, Math.max(1, dueAt - Date.now()))) break;
      this.followUpsDone += 1;
      await this.record('follow_up', 'system', { number: this.followUpsDone, of: this.policy.followUpsMs.length });
      this.notify('case.followup_due');
    }
    if (!this.raised) return false;
    this.raised = false;
    this.level = 0;
    this.acknowledgedBy = undefined;
    this.setStatus('open');
    const patch = { status: this.status, level: this.level, acknowledgedBy: null, acknowledgedAt: null };
    await this.record('reopened', 'screening', { tier: this.tier }, patch);
    return true;
  }
}

/**
 * A timeline entry by the local step; when its 5 attempts (~15 s) failed (a database outage),
 * by the same entry as a regular activity the server retries for up to 1 h (same event key: written once).
 */
async function recordEntry(entry: Parameters<CrisisActivities['recordCaseEvent']>[0]): Promise<void> {
  try {
    await acts.record.recordCaseEvent(entry);
  } catch (err) {
    if (isCancellation(err)) throw err;
    await acts.recordDurable.recordCaseEvent(entry);
  }
}
