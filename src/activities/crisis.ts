import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createEventPublisher, type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent, caseEventType } from '../adapters/events/schema';
import { type CrisisEvent, type Notifier, NotifyError } from '../adapters/notify';
import type { TextCipher } from '../crypto/text-cipher';
import type { CasePatch, CrisisRepository } from '../db/repositories/crisis';
import type { JournalRepository } from '../db/repositories/journal';
import { screenText } from '../domain/crisis';
import type { Logger } from '../logger';
import { caseWorkflowId, type CrisisCaseInput, type FlaggedEntry } from '../contracts/crisis-case';
import type { CrisisPolicy } from '../contracts/crisis-case.policy';
import type { CaseStatus, CaseTier } from '../domain/crisis/types';

export interface CrisisActivityDeps {
  journal: JournalRepository;
  crisis: CrisisRepository;
  cipher: TextCipher;
  notifier: Notifier;
  /**
   * Signal-with-start of the person's case run (built by the composition root with the typed start helper,
   * so this module needs neither the client nor the workflow function).
   */
  openCase(input: CrisisCaseInput, entry: FlaggedEntry): Promise<{ workflowId: string }>;
  logger: Logger;
  policy: CrisisPolicy;
  timeScale: number;
  /** Base of the secure staff view that notifications link to (never the journal text itself). */
  publicUrl: string;
  /** Domain events (NATS). Absent: the events are written to the log, as without NATS_URL. */
  events?: EventPublisher;
}

/** Thin adapters around the screener, the case timeline, the notifier and the case run. Ids only in logs. */
export function createCrisisActivities(deps: CrisisActivityDeps) {
  const events = deps.events ?? createEventPublisher(undefined, deps.logger);
  const log = () => {
    const info = Context.current().info;
    return deps.logger.child({
      activity: info.activityType,
      attempt: info.attempt,
      workflowId: info.workflowExecution?.workflowId,
    });
  };

  return {
    async screenJournalEntry(input: { entryId: string }): Promise<{ tier: 'none' | CaseTier }> {
      const entry = await deps.journal.get(input.entryId);
      if (!entry)
        throw ApplicationFailure.nonRetryable(`journal entry ${input.entryId} does not exist`, 'EntryNotFound');
      // Retention only deletes text far older than any screening run could still be waiting.
      if (entry.textEncrypted === null)
        throw ApplicationFailure.nonRetryable(
          `journal entry ${input.entryId} no longer has its text (retention)`,
          'EntryTextDeleted',
        );
      const result = screenText(deps.cipher.decrypt(entry.textEncrypted, entry.id), { locale: entry.locale });
      // Store what raised the tier (rule ids and offsets, never words); idiom/negation context is not a finding.
      const findings = result.matched.filter(
        (m) => m.tier !== 'none' && ['counted', 'negated', 'past'].includes(m.disposition),
      );
      await deps.journal.setScreening(entry.id, {
        tier: result.tier,
        rules: findings.map((m) => m.rule),
        spans: findings.map((m) => ({ start: m.span.start, end: m.span.end })),
        ruleVersion: result.ruleVersion,
        thirdParty: result.thirdParty,
      });
      log().info({ entryId: entry.id, tier: result.tier, rules: result.matched.length }, 'journal entry screened');
      return { tier: result.tier as 'none' | CaseTier };
    },

    /**
     * Signal-with-start of the person's case run: a new flagged entry joins the open case (which may only
     * raise its tier) or opens a new one. Idempotent: a retried signal is recorded once more as "flagged"
     * at worst, and the tier can only go up.
     */
    async openOrJoinCase(input: { entryId: string; userId: string; tier: CaseTier }): Promise<{ workflowId: string }> {
      const { workflowId } = await deps.openCase(
        {
          caseId: randomUUID(),
          userId: input.userId,
          tier: input.tier,
          entryId: input.entryId,
          policy: deps.policy,
          timeScale: deps.timeScale,
        },
        { entryId: input.entryId, tier: input.tier },
      );
      log().info({ entryId: input.entryId, tier: input.tier }, 'case opened or joined');
      return { workflowId };
    },

    async recordCaseEvent(e: {
      caseId: string;
      userId: string;
      eventKey: string;
      seq: number;
      type: string;
      actor: string;
      at: string;
      data: Record<string, unknown>;
      patch: CasePatch;
    }): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? caseWorkflowId(e.userId);
      await deps.crisis.recordEvent({ ...e, workflowId, at: new Date(e.at) });
      log().info({ caseId: e.caseId, event: e.type }, 'case event');
    },

    /**
     * The case's domain event for one timeline entry (ids, tier, status, level), when the entry is a state
     * transition. The workflow runs it beside the ladder after the entry is recorded, and Temporal retries it,
     * so it is at-least-once without ever delaying an escalation. Same event key, same event id: consumers dedupe.
     */
    async publishCaseEvent(e: {
      caseId: string;
      userId: string;
      eventKey: string;
      type: string;
      at: string;
      patch: CasePatch;
    }): Promise<void> {
      const type = caseEventType(e.type);
      if (type) await send(type, e);
    },

    async notifyStaff(n: {
      event: string;
      caseId: string;
      userId: string;
      tier: CaseTier;
      level: number;
      recipient: string;
      ackDeadline?: string;
      notificationId: string;
    }): Promise<void> {
      try {
        await deliver(n);
      } catch (err) {
        if (err instanceof NotifyError && !err.retryable)
          throw ApplicationFailure.nonRetryable(err.message, 'NotifyRejected');
        throw err;
      }
    },
  };

  /**
   * Crisis DOMAIN events (`wellflow.crisis.case.<event>`, docs/events.md): the case's state transitions with
   * ids, tier, status and level only, for other services. They are deliberately not the staff alerts the
   * notifier sends to `wellflow.crisis.<event>`: those are addressed to a recipient with a link and a
   * deadline, repeat on every re-notification and follow-up, and never fire on acknowledged/resolved;
   * domain events state each transition once, with the timeline entry's stable key (caseId:runId:seq):
   * event id `crisis.case.<event>:<eventKey>`, time = the event's workflow time, identical on every retry.
   */
  async function send(
    type: NonNullable<ReturnType<typeof caseEventType>>,
    e: { caseId: string; userId: string; eventKey: string; at: string; patch: CasePatch },
  ): Promise<void> {
    // The patch names what this event changed; the case row (read after the write) supplies the rest, e.g.
    // an escalation patches only the level. The ladder escalates only open cases, so that status is fixed
    // rather than read (a concurrent acknowledgement must not turn up inside an `escalated`).
    const p = e.patch;
    const status = p.status ?? (type === 'crisis.case.escalated' ? 'open' : undefined);
    const row = p.tier && status && p.level !== undefined ? undefined : await deps.crisis.get(e.caseId);
    const data = {
      caseId: e.caseId,
      userId: e.userId,
      tier: (p.tier ?? row?.tier) as CaseTier,
      status: (status ?? row?.status) as CaseStatus,
      level: p.level ?? row?.level ?? 0,
    };
    await publishDomainEvent(events, buildDomainEvent(type, data, { key: e.eventKey, time: e.at }));
  }

  async function deliver(n: {
    event: string;
    caseId: string;
    userId: string;
    tier: CaseTier;
    level: number;
    recipient: string;
    ackDeadline?: string;
    notificationId: string;
  }): Promise<void> {
    await deps.notifier.notify({
      event: n.event as CrisisEvent,
      caseId: n.caseId,
      userId: n.userId,
      tier: n.tier,
      level: n.level,
      recipient: n.recipient,
      ...(n.ackDeadline ? { ackDeadline: n.ackDeadline } : {}),
      link: `${deps.publicUrl.replace(/\/$/, '')}/v1/crisis/cases/${n.caseId}`,
      notificationId: n.notificationId,
      occurredAt: new Date().toISOString(),
    });
  }
}

export type CrisisActivities = ReturnType<typeof createCrisisActivities>;
