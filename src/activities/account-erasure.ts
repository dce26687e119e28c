import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent } from '../adapters/events/schema';
import { type ImageStore, InvalidImageKey } from '../adapters/images/store';
import type { Notifier } from '../adapters/notify';
import { type AccountErasureInput, accountErasureWorkflowId } from '../contracts/account-erasure';
import type { CrisisPolicy } from '../contracts/crisis-case.policy';
import type { PersonCipher } from '../crypto/person-cipher';
import { type AccountErasureRepository, PAGED_TABLES } from '../db/repositories/account-erasures';
import type { AccountExportRepository } from '../db/repositories/account-exports';
import type { CrisisRepository } from '../db/repositories/crisis';
import { ERASURE_CASE_EVENT, type ErasureCounts, photoPlan } from '../domain/account/erasure';
import type { CaseTier } from '../domain/crisis/types';
import type { Logger } from '../logger';
import { createErasureRunActivities } from './account-erasure-runs';

/**
 * Rows per page. Why 200: one page's delete (with its cascades) is a few milliseconds and a small transaction,
 * so a heartbeat follows every page well inside the step's 30 s heartbeat timeout, and the photo-sharing
 * lookup for a page stays one indexed query.
 */
const PAGE = 200;

export interface AccountErasureDeps {
  erasures: AccountErasureRepository;
  exports: AccountExportRepository;
  crisis: CrisisRepository;
  images: ImageStore;
  notifier: Notifier;
  events: EventPublisher;
  temporal: Client;
  policy: CrisisPolicy;
  publicUrl: string;
  logger: Logger;
  /** This process's journal cipher: its cached copy of a destroyed key is dropped at once. */
  journalCipher: Pick<PersonCipher, 'forget'>;
}

function beat(details: Record<string, number>): void {
  const ctx = Context.current();
  ctx.heartbeat(details);
  ctx.cancellationSignal.throwIfAborted();
}

/**
 * The erasure's steps (src/workflows/account-erasure.ts, docs/account-lifecycle.md). Thin and idempotent: each
 * finds what is left of the person and deletes it; the counts go into the receipt with each deletion. Ids and
 * counts only in logs, events and notifications.
 */
export function createAccountErasureActivities(deps: AccountErasureDeps) {
  const { erasures, images } = deps;
  const log = deps.logger.child({ component: 'account-erasure' });

  /** A malformed key in a row names no file: nothing to delete there. */
  async function removeImage(key: string): Promise<boolean> {
    try {
      return await images.delete(key);
    } catch (err) {
      if (err instanceof InvalidImageKey) return false;
      throw err;
    }
  }

  return {
    ...createErasureRunActivities({ temporal: deps.temporal, erasures, logger: deps.logger }),

    /** The mark (the API refuses the person from now on). Usually already written by the starter. */
    async markAccountErased(input: AccountErasureInput): Promise<void> {
      const workflowId = accountErasureWorkflowId(input.userId);
      await erasures.mark({ userId: input.userId, workflowId, trigger: input.trigger });
    },

    /**
     * Meals page by page: photo files first (those no other meal uses), then the rows and the counts in one
     * transaction. A crash between the two finds the same rows again; their files are already gone (deleting
     * a missing file is not an error), and the page is counted once, when its rows go.
     */
    async eraseMeals(input: { userId: string }): Promise<{ meals: number }> {
      let total = 0;
      for (;;) {
        const page = await erasures.mealPage(input.userId, PAGE);
        if (page.length === 0) break;
        const ids = page.map((m) => m.id);
        const keys = page.map((m) => m.imageKey);
        const plan = photoPlan(
          keys,
          await erasures.keyUses(input.userId, [...new Set(keys.filter((k) => k !== null))] as string[], ids),
        );
        for (const key of plan.remove) await removeImage(key);
        total += await erasures.deleteMeals(input.userId, ids, {
          removed: plan.remove.length,
          shared: plan.shared.length,
        });
        beat({ meals: total });
      }
      return { meals: total };
    },

    /** Every other table the person has rows in, page by page, in foreign-key order. */
    async erasePersonRows(input: { userId: string }): Promise<ErasureCounts> {
      const counts: ErasureCounts = {};
      for (const entry of PAGED_TABLES) {
        for (;;) {
          const n = await erasures.deletePage(input.userId, entry, PAGE);
          counts[entry.kind] = (counts[entry.kind] ?? 0) + n;
          beat({ [entry.kind]: counts[entry.kind]! });
          if (n < PAGE) break;
        }
      }
      return counts;
    },

    /** Export archives (files, then rows): after the cancel step, so no export run can write a file later. */
    async eraseAccountExports(input: { userId: string }): Promise<{ rows: number; files: number }> {
      const gone = await deps.exports.deleteExportsForUser(input.userId);
      await erasures.count(input.userId, { exports: gone.rows, exportFiles: gone.files });
      return gone;
    },

    /**
     * Crypto-shredding: deletes the person's wrapped journal data key (after their rows, so nothing is left
     * that a key would still be needed for), counted in the same transaction. Any copy of their v2 journal
     * text (a backup, a stray export) is unreadable from then on. Idempotent: a retry finds no key.
     */
    async destroyJournalDataKey(input: { userId: string }): Promise<{ destroyed: number }> {
      const destroyed = await erasures.destroyDataKey(input.userId);
      deps.journalCipher.forget(input.userId);
      return { destroyed };
    },

    /**
     * The open-crisis-case policy (src/domain/account/erasure.ts): each case of the person stays with its
     * timeline; an `erasure_requested` entry is added once per case and the case's current recipient is told
     * through the notifier fan-out (ids, tier and a console link only).
     */
    async retainCrisisCases(input: { userId: string }): Promise<{ retained: number }> {
      const cases = await erasures.crisisCases(input.userId);
      for (const c of cases) {
        const eventKey = `${c.id}:${ERASURE_CASE_EVENT}`;
        const at = new Date();
        await deps.crisis.recordEvent({
          caseId: c.id,
          userId: input.userId,
          workflowId: c.workflowId,
          eventKey,
          type: ERASURE_CASE_EVENT,
          actor: 'system',
          at,
          data: {},
          patch: {},
        });
        if (c.status === 'closed') continue;
        const tier = c.tier as CaseTier;
        const ladder = deps.policy[tier]?.ladder ?? [];
        await deps.notifier.notify({
          event: 'case.erasure_requested',
          caseId: c.id,
          userId: input.userId,
          tier,
          level: c.level,
          recipient: ladder[Math.min(c.level, ladder.length - 1)] ?? 'support-team',
          link: `${deps.publicUrl.replace(/\/$/, '')}/console/cases/${c.id}`,
          notificationId: eventKey,
          occurredAt: at.toISOString(),
        });
      }
      await erasures.setCrisisCasesRetained(input.userId, cases.length);
      if (cases.length)
        log.info({ userId: input.userId, cases: cases.length }, 'crisis cases kept for the clinical record');
      return { retained: cases.length };
    },

    /** `wellflow.user.erased` through the outbox; its id is per person, so a retry queues nothing new. */
    async publishUserErased(input: { userId: string }): Promise<void> {
      const mark = await erasures.get(input.userId);
      if (!mark) throw new Error('erasure step before the mark');
      const trigger = mark.trigger as AccountErasureInput['trigger'];
      await publishDomainEvent(
        deps.events,
        buildDomainEvent(
          'user.erased',
          { userId: input.userId, trigger },
          { key: input.userId, time: mark.requestedAt.toISOString() },
        ),
      );
    },

    /** Stamps the receipt (first completion wins) and returns its counts. */
    async completeAccountErasure(input: { userId: string }): Promise<{ counts: ErasureCounts; completedAt: string }> {
      const row = await erasures.complete(input.userId);
      log.info({ userId: input.userId }, 'account erased');
      return { counts: row.counts as ErasureCounts, completedAt: row.completedAt!.toISOString() };
    },
  };
}

export type AccountErasureActivities = ReturnType<typeof createAccountErasureActivities>;
