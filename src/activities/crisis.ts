import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { createEventPublisher, type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent, caseEventType } from '../adapters/events/schema';
import { type CrisisEvent, type Notifier, NotifyError } from '../adapters/notify';
import type { TextCipher } from '../crypto/text-cipher';
import type { CasePatch, CrisisRepository } from '../db/repositories/crisis';
import type { JournalRepository, StoredScreening } from '../db/repositories/journal';
import { type EntryScreening, SCREENER_VERSION, screenEntry } from '../domain/crisis/screen-entry';
import type { Logger } from '../logger';
import { caseWorkflowId, type CrisisCaseInput, type FlaggedEntry } from '../contracts/crisis-case';
import type { CrisisPolicy } from '../contracts/crisis-case.policy';
import type { RescreenPageInput, RescreenPageResult } from '../contracts/journal-rescreen';
import { type CaseStatus, type CaseTier, type Tier, TIERS, tierRank } from '../domain/crisis/types';

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

/**
 * What is stored of a screening: both signals (rule ids, categories and offsets, never words; the model's
 * scores), so staff see why an entry was flagged and a new screener version can be compared with the old one.
 */
function storedScreening(result: EntryScreening): StoredScreening {
  const { rules, model } = result;
  return {
    tier: result.tier,
    rules: rules.findings.map((f) => f.rule),
    spans: rules.findings.map((f) => f.span),
    ruleVersion: rules.ruleVersion,
    thirdParty: rules.thirdParty,
    rulesTier: rules.tier,
    categories: [...new Set(rules.findings.map((f) => f.category))],
    source: result.source,
    model: { version: model.version, tier: model.tier, scores: model.scores, uncertain: model.uncertain },
    screenerVersion: result.screenerVersion,
  };
}

/** A stored tier as a Tier: anything unknown (or no screening yet) counts as `none`, so a re-screen may raise it. */
const storedTier = (s: StoredScreening | null): Tier =>
  s && (TIERS as readonly string[]).includes(s.tier) ? (s.tier as Tier) : 'none';

/** What a page of the re-screen has done so far: its heartbeat details, so a retry resumes after them. */
interface RescreenCheckpoint {
  screened: number;
  raised: number;
  casesOpened: number;
  failed: number;
  /** Entries of this page handled so far (screened, skipped or failed). */
  seen: number;
  lastCursor?: string;
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
      const result = screenEntry(deps.cipher.decrypt(entry.textEncrypted, entry.id), { locale: entry.locale });
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
    async rescreenJournalPage(input: RescreenPageInput): Promise<RescreenPageResult> {
      if (input.screenerVersion !== SCREENER_VERSION)
        throw ApplicationFailure.nonRetryable(
          `this worker screens with ${SCREENER_VERSION}, the run is for ${input.screenerVersion}: start a re-screen again once every worker runs the same screener`,
          'ScreenerVersionMismatch',
        );
      const since = new Date(input.since);
      if (Number.isNaN(since.getTime()) || !Number.isInteger(input.limit) || input.limit < 1)
        throw ApplicationFailure.nonRetryable(
          'since must be an ISO instant and limit a positive integer',
          'InvalidRescreenInput',
        );
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as RescreenCheckpoint | undefined;
      const at: RescreenCheckpoint = resumed?.seen
        ? { ...resumed }
        : {
            screened: 0,
            raised: 0,
            casesOpened: 0,
            failed: 0,
            seen: 0,
            ...(input.after ? { lastCursor: input.after } : {}),
          };
      const wanted = input.limit - at.seen;
      let rows: Awaited<ReturnType<JournalRepository['listForRescreen']>> = [];
      if (wanted > 0) {
        try {
          rows = await deps.journal.listForRescreen({
            since,
            ...(at.lastCursor ? { after: at.lastCursor } : {}),
            limit: wanted,
            version: SCREENER_VERSION,
          });
        } catch (err) {
          if (err instanceof RangeError)
            throw ApplicationFailure.nonRetryable('after is not a re-screen cursor', 'InvalidRescreenInput');
          throw err;
        }
      }
      for (const row of rows) {
        let result: EntryScreening | undefined;
        try {
          result = screenEntry(deps.cipher.decrypt(row.textEncrypted, row.id), { locale: row.locale });
        } catch (err) {
          // A text no configured key opens (or a screener fault) must not block the entries behind it: the
          // entry keeps its old screening and a later run tries again. The error's name only, never its text.
          at.failed++;
          log().warn({ entryId: row.id, error: (err as Error).name }, 'journal entry could not be re-screened');
        }
        if (result) {
          const before = storedTier(row.screening);
          const raised = result.tier !== 'none' && tierRank(result.tier) > tierRank(before);
          if (raised) {
            await openCaseFor({ entryId: row.id, userId: row.userId, tier: result.tier as CaseTier });
            at.casesOpened++;
          }
          const written = await deps.journal.setScreeningUnlessAt(
            row.id,
            {
              ...storedScreening(result),
              previous: { tier: row.screening?.tier ?? null, screenerVersion: row.screening?.screenerVersion ?? null },
            },
            SCREENER_VERSION,
          );
          if (written) {
            at.screened++;
            if (raised) at.raised++;
          }
          if (raised)
            log().info(
              { entryId: row.id, tier: result.tier, previousTier: before },
              'journal entry re-screened higher',
            );
        }
        at.seen++;
        at.lastCursor = row.cursor;
        ctx.heartbeat({ ...at });
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('re-screen page cancelled');
      }
      const { seen, lastCursor, ...counts } = at;
      log().info({ ...counts, entries: seen }, 're-screen page done');
      return {
        screenerVersion: SCREENER_VERSION,
        ...counts,
        ...(lastCursor ? { lastCursor } : {}),
        done: rows.length < wanted,
      };
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
