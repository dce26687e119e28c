import type { Client } from '@temporalio/client';
import { type CrisisCaseInput, type FlaggedEntry, flaggedSignal } from '../contracts/crisis-case';
import { crisisCase } from '../workflows/crisis-case';
import { signalWithStart } from './workflow-client';

/**
 * Opens the person's case or joins their open one (signal-with-start of `crisis-<userId>`). The screening
 * activity gets this injected (activities/index.ts), so activity code never imports workflow code.
 */
export function caseOpener(client: Client) {
  return (input: CrisisCaseInput, entry: FlaggedEntry) =>
    signalWithStart(client, crisisCase, input, flaggedSignal, entry);
}
