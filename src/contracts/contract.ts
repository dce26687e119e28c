import type { Priority, SearchAttributePair } from '@temporalio/common';
import { defineQuery, type QueryDefinition } from '@temporalio/workflow';
import { QUEUES, type QueueName } from './queues';
import { StatusKey, UserIdKey } from './search-attributes';

/**
 * What every caller needs to know about one workflow type, in one place: its Temporal type name, the queue
 * it runs on, its priority, how its id is built from its input and which search attributes its start sets.
 * A contract is pure data plus pure functions, so workflow code (for children), activities (for
 * signal-with-start), the API and the schedules all read the same one. Starting a run goes through
 * `startWorkflow` in src/temporal/workflow-client.ts, which takes the workflow function and finds its
 * contract here: no caller spells a workflow type, a queue or an id format itself.
 */
export interface WorkflowContract<Input> {
  /** Temporal's workflow type: the exported name of the workflow function (a test checks they agree). */
  readonly workflowType: string;
  readonly taskQueue: QueueName;
  /** Task-queue priority of the run (1 = first); absent = the server's default. */
  readonly priority?: Priority;
  /** The run's id, built from business keys: each contract says why its id has the scope it has. */
  workflowId(input: Input): string;
  /** Set at start. Search attributes are not encrypted: ids and statuses only, never health data. */
  searchAttributes(input: Input): SearchAttributePair[];
  /**
   * Runs the person they belong to must not see, although they carry the person's UserId: staff work such as
   * the crisis case (its tier, escalation level, recipients and timeline). Staff and admins see them; the
   * person gets 404, and their run lists leave them out.
   */
  readonly staffOnly?: boolean;
}

/** The start options a contract implies for one input: used for client starts and child starts alike. */
export function startOptionsOf<Input>(contract: WorkflowContract<Input>, input: Input) {
  return {
    workflowId: contract.workflowId(input),
    taskQueue: QUEUES[contract.taskQueue],
    ...(contract.priority ? { priority: contract.priority } : {}),
    typedSearchAttributes: contract.searchAttributes(input),
  };
}

/** The common search attributes of a run that belongs to one person and reports a business status. */
export function ownedBy(userId: string, status?: string): SearchAttributePair[] {
  return [{ key: UserIdKey, value: userId }, ...(status !== undefined ? [{ key: StatusKey, value: status }] : [])];
}

/**
 * Every Wellflow workflow answers a query with this name, so the generic run view (`GET /v1/workflows/{id}`)
 * can show any of them. Each contract defines its own typed query under this one name.
 */
const PROGRESS = 'progress';
export const defineProgressQuery = <T>(): QueryDefinition<T> => defineQuery<T>(PROGRESS);
/** The progress of a run of any type, for the generic views that do not know the type. */
export const anyProgressQuery = defineProgressQuery<unknown>();
