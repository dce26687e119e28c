import { allHandlersFinished, condition, continueAsNew, patched, setHandler } from '@temporalio/workflow';
import {
  acknowledgeUpdate,
  caseProgressQuery,
  type CrisisCaseInput,
  flaggedSignal,
  resolveUpdate,
} from '../contracts/crisis-case';
import type { CaseStatus } from '../domain/crisis/types';
import { CaseRun } from './crisis-case-run';

/**
 * One open case per person (`crisis-<userId>`). Notify the current level, wait for an acknowledgement until
 * the deadline (a durable server-side timer: worker deaths and restarts do not move it), climb the ladder
 * when nobody answers, re-notify at the top. After acknowledgement: resolve, then follow-ups on durable
 * timers; a new high-tier entry re-opens escalation. Every event goes to the audit timeline.
 */
export async function crisisCase(input: CrisisCaseInput): Promise<{ caseId: string; status: CaseStatus }> {
  const run = new CaseRun(input);
  installHandlers(run);
  const { caseId } = input;
  if (!input.carried) {
    const { status, tier, level } = run;
    await run.record('opened', 'screening', { entryId: input.entryId, tier }, { status, tier, level });
  }
  for (;;) {
    if (!(await run.escalate())) {
      // A pending publish would be abandoned by continue-as-new: its event is queued (outbox) first. patched():
      // runs that continued as new before this replay without the wait.
      if (patched('case-events-before-continue')) await Promise.all(run.publishes);
      // The local path: entries a handler or a failed delivery is still writing (with their domain events),
      // and the handlers themselves, finish first.
      if (run.local) {
        await Promise.all(run.recording);
        await condition(allHandlersFinished);
      }
      return continueAsNew<typeof crisisCase>(run.carryOver());
    }
    // Acknowledged: wait for resolution (a human owns the case now; no timers).
    await condition(() => run.status !== 'acknowledged');
    if (await run.followUps()) continue;
    run.setStatus('closed');
    const closedAt = new Date(Date.now()).toISOString();
    await run.record('closed', 'system', { followUps: run.followUpsDone }, { status: run.status, closedAt });
    run.notify('case.closed');
    await Promise.all(run.deliveries);
    await condition(allHandlersFinished); // a late signal's timeline write must land before the run ends
    return { caseId, status: run.status };
  }
}

/** The query, the flagged signal, and the staff's acknowledge and resolve updates (with their validators). */
function installHandlers(run: CaseRun): void {
  const { caseId } = run.input;
  setHandler(caseProgressQuery, () => run.progress());
  setHandler(flaggedSignal, (entry) => run.flagged(entry));
  setHandler(
    acknowledgeUpdate,
    async ({ staffId }) => {
      if (run.status === 'acknowledged') {
        return { caseId, status: run.status, acknowledgedBy: run.acknowledgedBy!, duplicate: true };
      }
      run.acknowledgedBy = staffId;
      run.setStatus('acknowledged');
      const acknowledgedAt = new Date(Date.now()).toISOString();
      const patch = { status: run.status, acknowledgedBy: staffId, acknowledgedAt };
      await run.record('acknowledged', staffId, { level: run.level }, patch);
      return { caseId, status: run.status, acknowledgedBy: staffId, duplicate: false };
    },
    {
      validator: ({ staffId }) => {
        if (!staffId) throw new Error('staffId is required');
        if (run.status === 'resolved' || run.status === 'closed') {
          throw new Error(`This case is ${run.status}; it cannot be acknowledged`);
        }
      },
    },
  );
  setHandler(
    resolveUpdate,
    async ({ staffId, outcome }) => {
      run.setStatus('resolved');
      run.resolvedAt = Date.now();
      run.followUpsDone = 0;
      const patch = { status: run.status, outcome, resolvedAt: new Date(run.resolvedAt).toISOString() };
      await run.record('resolved', staffId, { outcome }, patch);
      return { caseId, status: run.status };
    },
    {
      validator: ({ staffId, outcome }) => {
        if (!staffId || !outcome) throw new Error('staffId and outcome are required');
        if (run.status === 'open') throw new Error('Acknowledge the case before resolving it');
        if (run.status === 'resolved' || run.status === 'closed') throw new Error(`This case is already ${run.status}`);
      },
    },
  );
}
