import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { queueDomainEvent } from '../adapters/events/outbox';
import { createEventPublisher, type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent, caseEventType } from '../adapters/events/schema';
import { type CrisisEvent, type Notifier, NotifyError } from '../adapters/notify';
import type { PersonCipher } from '../crypto/person-cipher';
import { UnreadableTextError } from '../crypto/unreadable-text';
import type { Db } from '../db/client';
import type { CasePatch, CaseRow, CrisisRepository } from '../db/repositories/crisis';
import type { JournalRepository } from '../db/repositories/journal';
import type { CrisisScreener } from '../domain/crisis/screen-entry';
import type { Logger } from '../logger';
import { caseWorkflowId, type CrisisCaseInput, type FlaggedEntry } from '../contracts/crisis-case';
import type { CrisisPolicy } from '../contracts/crisis-case.policy';
import type { CaseStatus, CaseTier } from '../domain/crisis/types';
import { createRescreenActivities } from './crisis-rescreen';
import { storedScreening } from './screening-record';

export interface CrisisActivityDeps {
  journal: JournalRepository;
  crisis: CrisisRepository;
  /** Journal text under each person's data key (v1 text under the deployment key still reads). */
  cipher: PersonCipher;
  /** The rules and a learned signal (the n-gram model, or the fine-tuned encoder: src/adapters/crisis-screener.ts). */
  screener: CrisisScreener;
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
  /**
   * Where `publishCaseEvent` (runs started before patch `case-record-local`) sends domain events; absent: the
   * log. `recordCaseEvent` always queues them in the event outbox, in the timeline entry's own transaction.
   */
  events?: EventPublisher;
}

/** One staff alert as the case run asks for it: ids, tier, level and recipient role, never the person's words. */
export interface StaffNotification {
  event: string;
  caseId: string;
  userId: string;
  tier: CaseTier;
  level: number;
  recipient: string;
  ackDeadline?: string;
  notificationId: string;
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

  /** Signal-with-start of the person's case run with one flagged entry (a new case's id is fresh each time). */
  const openCaseFor = (e: { entryId: string; userId: string; tier: CaseTier }) =>
    deps.openCase(
      {
        caseId: randomUUID(),
        userId: e.userId,
        tier: e.tier,
        entryId: e.entryId,
        policy: deps.policy,
        timeScale: deps.timeScale,
      },
      { entryId: e.entryId, tier: e.tier },
    );

  /** An entry whose key was destroyed (its person erased) can never be screened: not retried. */
  async function readEntryText(entry: { id: string; userId: string }, stored: string): Promise<string> {
    try {
      return await deps.cipher.decrypt(entry.userId, stored, entry.id);
    } catch (err) {
      if (err instanceof UnreadableTextError && err.reason === 'key_destroyed')
        throw ApplicationFailure.nonRetryable(
          `journal entry ${entry.id} is unreadable: its data key was destroyed (erasure)`,
          'EntryTextShredded',
        );
      throw err;
    }
  }

  return {
    ...createRescreenActivities({
      journal: deps.journal,
      cipher: deps.cipher,
      screener: deps.screener,
      openCaseFor,
      log,
    }),

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
      const result = await deps.screener.screen(await readEntryText(entry, entry.textEncrypted), {
        locale: entry.locale,
      });
      await deps.journal.setScreening(entry.id, storedScreening(result));
      log().info(
        { entryId: entry.id, tier: result.tier, source: result.source, rules: result.rules.findings.length },
        'journal entry screened',
      );
      return { tier: result.tier as 'none' | CaseTier };
    },

    /**
     * Signal-with-start of the person's case run: a new flagged entry joins the open case (which may only
     * raise its tier) or opens a new one. Idempotent: a retried signal is recorded once more as "flagged"
     * at worst, and the tier can only go up.
     */
    async openOrJoinCase(input: { entryId: string; userId: string; tier: CaseTier }): Promise<{ workflowId: string }> {
      const { workflowId } = await openCaseFor(input);
      log().info({ entryId: input.entryId, tier: input.tier }, 'case opened or joined');
      return { workflowId };
    },

    /**
     * One page of a re-screen (journalRescreen): up to `limit` entries with text, created at or after `since`,
     * not yet screened at the current screener version, after the keyset cursor `after`. Each is decrypted,
     * screened with the current screener and stored with the tier and version it replaces (`previous`); when
     * the new tier is above the stored one, the person's case is opened or joined first, through the same
     * case opener as a new entry (the case ladder then runs as for any flagged entry).
     *
     * The case comes BEFORE the write on purpose: an entry is stored at the new version only once its case
     * signal has gone out, so a crash between the two leaves it unscreened and the retry repeats both (a
     * duplicate "flagged" on the case timeline at worst). The other order could store a raised entry whose
     * case never opened, and the query would skip it for good. The write itself is conditional on the entry
     * not being at the version yet, so each entry is stored (and counted) once per version, whatever retries
     * or overlapping runs do. Heartbeats after every entry with the counts and the cursor: a retry resumes there.
     * Nothing but ids, tiers and counts leaves this function or reaches the log.
     */
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
      // The entry's domain event (when it is a state transition) is queued in the outbox in the entry's own
      // transaction. Runs started before patch `case-record-local` also queue it with `publishCaseEvent`
      // afterwards: the same event id, so the outbox keeps one.
      const type = caseEventType(e.type);
      const announce = type ? (tx: Db, row: CaseRow) => queueDomainEvent(tx, caseDomainEvent(type, e, row)) : undefined;
      await deps.crisis.recordEvent({ ...e, workflowId, at: new Date(e.at) }, announce);
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
      if (!type) return;
      // The patch names what this event changed; the case row supplies the rest (read only when needed).
      const complete = e.patch.tier && eventStatus(type, e.patch) && e.patch.level !== undefined;
      const row = complete ? undefined : await deps.crisis.get(e.caseId);
      await publishDomainEvent(events, caseDomainEvent(type, e, row));
    },

    async notifyStaff(n: StaffNotification): Promise<void> {
      try {
        await deliver(n);
      } catch (err) {
        if (err instanceof NotifyError && !err.retryable)
          throw ApplicationFailure.nonRetryable(err.message, 'NotifyRejected');
        throw err;
      }
    },
  };

  async function deliver(n: StaffNotification): Promise<void> {
    await deps.notifier.notify({
      event: n.event as CrisisEvent,
      caseId: n.caseId,
      userId: n.userId,
      tier: n.tier,
      level: n.level,
      recipient: n.recipient,
      ...(n.ackDeadline ? { ackDeadline: n.ackDeadline } : {}),
      // The console's case page: a staff member who is not signed in is sent through sign-in and lands on it.
      link: `${deps.publicUrl.replace(/\/$/, '')}/console/cases/${n.caseId}`,
      notificationId: n.notificationId,
      occurredAt: new Date().toISOString(),
    });
  }
}

export type CrisisActivities = ReturnType<typeof createCrisisActivities>;

/**
 * Crisis DOMAIN events (`wellflow.crisis.case.<event>`, docs/events.md): the case's state transitions with
 * ids, tier, status and level only, for other services. They are deliberately not the staff alerts the
 * notifier sends to `wellflow.crisis.<event>`: those are addressed to a recipient with a link and a
 * deadline, repeat on every re-notification and follow-up, and never fire on acknowledged/resolved;
 * domain events state each transition once, with the timeline entry's stable key (caseId:runId:seq):
 * event id `crisis.case.<event>:<eventKey>`, time = the event's workflow time, identical on every retry.
 * The patch names what this event changed; the case row (as the entry left it) supplies the rest, e.g. an
 * escalation patches only the level.
 */
function caseDomainEvent(
  type: CaseEventType,
  e: { caseId: string; userId: string; eventKey: string; at: string; patch: CasePatch },
  row: CaseRow | undefined,
) {
  const p = e.patch;
  const status = eventStatus(type, p);
  const data = {
    caseId: e.caseId,
    userId: e.userId,
    tier: (p.tier ?? row?.tier) as CaseTier,
    status: (status ?? row?.status) as CaseStatus,
    level: p.level ?? row?.level ?? 0,
  };
  return buildDomainEvent(type, data, { key: e.eventKey, time: e.at });
}

/**
 * The ladder escalates only open cases, so an escalation's status is fixed rather than read (a concurrent
 * acknowledgement must not turn up inside an `escalated`).
 */
function eventStatus(type: CaseEventType, p: CasePatch): string | undefined {
  return p.status ?? (type === 'crisis.case.escalated' ? 'open' : undefined);
}

type CaseEventType = NonNullable<ReturnType<typeof caseEventType>>;
