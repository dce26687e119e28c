import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, SignalDefinition, Workflow } from '@temporalio/common';
import { WORKFLOW_CONTRACTS } from '../contracts';
import { startOptionsOf, type WorkflowContract } from '../contracts/contract';

/** A workflow that takes one input object: every Wellflow workflow. */
type OneInputWorkflow = Workflow & ((input: never) => Promise<unknown>);
type InputOf<W extends OneInputWorkflow> = Parameters<W>[0];

/** The contract of a workflow function (found by its name, which is its Temporal workflow type). */
export function contractOf<W extends OneInputWorkflow>(workflow: W): WorkflowContract<InputOf<W>> {
  const contract = WORKFLOW_CONTRACTS.get(workflow.name);
  if (!contract) throw new Error(`Workflow ${workflow.name} has no contract in src/contracts`);
  return contract as WorkflowContract<InputOf<W>>;
}

export interface Started<W extends OneInputWorkflow> {
  workflowId: string;
  handle: WorkflowHandle<W>;
  /** True when a run with this id was already running: nothing new was started. */
  alreadyStarted: boolean;
}

/**
 * The one way to start a run. The caller passes the workflow function and its input; the contract supplies
 * the id, queue, priority and search attributes. "Already started" is not an error here: the id is built
 * from business keys, so a run with that id already running IS the run the caller asked for.
 */
export async function startWorkflow<W extends OneInputWorkflow>(
  client: Client,
  workflow: W,
  input: InputOf<W>,
): Promise<Started<W>> {
  const options = startOptionsOf(contractOf(workflow), input);
  try {
    const handle = await client.workflow.start(workflow, { ...options, args: [input] as Parameters<W> });
    return { workflowId: options.workflowId, handle, alreadyStarted: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return {
      workflowId: options.workflowId,
      handle: client.workflow.getHandle<W>(options.workflowId),
      alreadyStarted: true,
    };
  }
}

/**
 * Signal-with-start through the contract: delivers `signal` (our signals take one argument) to the running run with the contract's id, or
 * starts one with `input` and delivers it first. Idempotent by id for the caller, like `startWorkflow`.
 */
export async function signalWithStart<W extends OneInputWorkflow, S>(
  client: Client,
  workflow: W,
  input: InputOf<W>,
  signal: SignalDefinition<[S]>,
  signalArg: S,
): Promise<{ workflowId: string }> {
  const options = startOptionsOf(contractOf(workflow), input);
  try {
    // A run that is already open takes the signal; that is the point of signal-with-start.
    await client.workflow.signalWithStart(workflow, {
      ...options,
      args: [input] as Parameters<W>,
      signal,
      signalArgs: [signalArg],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { workflowId: options.workflowId };
}

/**
 * A query answered within `ms`, or undefined (no worker polling, or the run has no such query). Reads stay
 * fast when workers are down: the caller shows what PostgreSQL knows instead of waiting.
 */
export async function queryWithin<T>(
  client: Client,
  workflowId: string,
  query: QueryDefinition<T>,
  ms = 3000,
): Promise<T | undefined> {
  try {
    return await client.connection.withDeadline(Date.now() + ms, () =>
      client.workflow.getHandle(workflowId).query(query),
    );
  } catch {
    return undefined;
  }
}
