import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, SignalDefinition, Workflow } from '@temporalio/common';
import { WORKFLOW_CONTRACTS } from '../contracts';
import { startOptionsOf, type WorkflowContract } from '../contracts/contract';

/**
 * How long one API call to Temporal may take (describe, query, list, count, start, signal, schedule calls, raw
 * workflowService calls). Why 5 s: a healthy frontend answers these in milliseconds (a start or a visibility
 * list in tens), so 5 s is two orders of magnitude of headroom for a loaded cluster, while a caller hears 503
 * `temporal_unavailable` within a few seconds instead of after the client's ~20 s of UNAVAILABLE retries.
 * The deadline also ends those retries: the SDK's retry interceptor retries under the same deadline.
 */
export const TEMPORAL_CALL_DEADLINE_MS = 5_000;

/**
 * An update waits for a worker to run the workflow's handler (a workflow task), not only for the frontend: a
 * busy worker pool can take seconds. Why 10 s: twice a read's budget, still half of the ~20 s a caller waited
 * before; an update accepted after the deadline still applies (it is durable once accepted), and a retry then
 * answers 409 because the run has moved on.
 */
export const TEMPORAL_UPDATE_DEADLINE_MS = 10_000;

/**
 * The one way the API bounds a call to Temporal: every gRPC request `fn` makes (the SDK's retries included)
 * fails with DEADLINE_EXCEEDED `ms` from now, which `toAppError` answers as 503 `temporal_unavailable`.
 * Works through the connection's async-local call context, so it covers the workflow and schedule clients
 * and raw `workflowService` calls alike; a nested call replaces the deadline.
 */
export function withTemporalDeadline<T>(
  client: Client,
  fn: () => Promise<T>,
  ms = TEMPORAL_CALL_DEADLINE_MS,
): Promise<T> {
  return client.connection.withDeadline(Date.now() + ms, fn);
}

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
    const handle = await withTemporalDeadline(client, () =>
      client.workflow.start(workflow, { ...options, args: [input] as Parameters<W> }),
    );
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
    await withTemporalDeadline(client, () =>
      client.workflow.signalWithStart(workflow, {
        ...options,
        args: [input] as Parameters<W>,
        signal,
        signalArgs: [signalArg],
      }),
    );
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
    return await withTemporalDeadline(client, () => client.workflow.getHandle(workflowId).query(query), ms);
  } catch {
    return undefined;
  }
}
