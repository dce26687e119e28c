import { createHash } from 'node:crypto';
import { type Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { WORKFLOW_CONTRACTS } from '../../../contracts';
import { anyProgressQuery } from '../../../contracts/contract';
import { STAFF_ONLY_WORKFLOW_TYPES } from '../../../contracts';
import { StatusKey, UserIdKey } from '../../../contracts/search-attributes';
import { queryWithin, withTemporalDeadline } from '../../../temporal/workflow-client';
import { type Caller, isStaff } from '../../auth';
import { AppError, notFound, outageError } from '../../errors';

/**
 * Read side of runs, straight from Temporal (docs/architecture.md, principle 1: no copy of run status elsewhere).
 * Ownership comes from the `UserId` search attribute; another user's run reads as absent (404).
 */

/** Every workflow type the service runs, as Temporal names them (from the contracts). */
export const WORKFLOW_TYPES = [...WORKFLOW_CONTRACTS.keys()] as [string, ...string[]];
export const RUN_STATUSES = [
  'running',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
  'continued_as_new',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number] | 'unknown';

/** Visibility query names of each status. */
const STATUS_QUERY: Record<(typeof RUN_STATUSES)[number], string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
};

const PROTO_STATUS = temporal.api.enums.v1.WorkflowExecutionStatus;
function statusFromProto(s: number | null | undefined): RunStatus {
  switch (s) {
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_RUNNING:
      return 'running';
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_COMPLETED:
      return 'completed';
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_FAILED:
      return 'failed';
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_CANCELED:
      return 'cancelled';
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_TERMINATED:
      return 'terminated';
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
      return 'timed_out';
    case PROTO_STATUS.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW:
      return 'continued_as_new';
    default:
      return 'unknown';
  }
}

function keywordFrom(payload: temporal.api.common.v1.IPayload | undefined): string | undefined {
  if (!payload?.data) return undefined;
  try {
    const v = JSON.parse(Buffer.from(payload.data).toString('utf8')) as unknown;
    return Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export interface RunSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: RunStatus;
  businessStatus?: string;
  userId?: string;
  startedAt?: string;
  closedAt?: string;
}

export interface ListRunsOptions {
  caller: Caller;
  type?: string;
  status?: (typeof RUN_STATUSES)[number];
  cursor?: string;
  limit: number;
}

export function visibilityQuery(opts: Pick<ListRunsOptions, 'caller' | 'type' | 'status'>): string {
  const parts: string[] = [];
  // Values are safe to inline: user ids are validated to [A-Za-z0-9_.@:-], type and status are enums.
  if (!isStaff(opts.caller)) {
    parts.push(`${UserIdKey.name} = '${opts.caller.sub}'`);
    // Staff work about the person (their crisis case) is not theirs to read.
    for (const type of STAFF_ONLY_WORKFLOW_TYPES) parts.push(`WorkflowType != '${type}'`);
  }
  if (opts.type) parts.push(`WorkflowType = '${opts.type}'`);
  if (opts.status) parts.push(`ExecutionStatus = '${STATUS_QUERY[opts.status]}'`);
  return parts.join(' AND ');
}

function toRunSummary(e: temporal.api.workflow.v1.IWorkflowExecutionInfo): RunSummary {
  const fields = e.searchAttributes?.indexedFields ?? {};
  return {
    workflowId: e.execution?.workflowId ?? '',
    runId: e.execution?.runId ?? '',
    type: e.type?.name ?? '',
    status: statusFromProto(e.status),
    businessStatus: keywordFrom(fields[StatusKey.name]),
    userId: keywordFrom(fields[UserIdKey.name]),
    startedAt: optionalTsToDate(e.startTime)?.toISOString(),
    closedAt: optionalTsToDate(e.closeTime)?.toISOString(),
  };
}

/**
 * Every run matching a visibility query, up to `max` (then `truncated`): for aggregate views such as
 * run statistics. Pages of 1,000, the server's maximum.
 */
export async function scanRuns(
  client: Client,
  namespace: string,
  query: string,
  max: number,
): Promise<{ runs: RunSummary[]; truncated: boolean }> {
  const runs: RunSummary[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await withTemporalDeadline(client, () =>
      client.workflowService.listWorkflowExecutions({ namespace, pageSize: 1000, nextPageToken, query }),
    );
    for (const e of res.executions ?? []) {
      if (runs.length >= max) return { runs, truncated: true };
      runs.push(toRunSummary(e));
    }
    nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
  } while (nextPageToken);
  return { runs, truncated: false };
}

export async function listRuns(
  client: Client,
  namespace: string,
  opts: ListRunsOptions,
): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
  let nextPageToken: Buffer | undefined;
  if (opts.cursor) {
    nextPageToken = pageTokenOf(opts.cursor);
    if (!nextPageToken) throw new AppError('validation', 'invalid_cursor', 'The cursor is not valid');
  }
  let res: temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
  try {
    res = await withTemporalDeadline(client, () =>
      client.workflowService.listWorkflowExecutions({
        namespace,
        pageSize: opts.limit,
        nextPageToken,
        query: visibilityQuery(opts),
      }),
    );
  } catch (err) {
    // Temporal down is not the cursor's fault: that stays a 503.
    if (opts.cursor && !outageError(err))
      throw new AppError('validation', 'invalid_cursor', 'The cursor is not valid or has expired');
    throw err;
  }
  const items = (res.executions ?? []).map(toRunSummary);
  const token = res.nextPageToken && res.nextPageToken.length > 0 ? cursorOf(Buffer.from(res.nextPageToken)) : null;
  return { items, nextCursor: token };
}

/**
 * Run-list cursors are Temporal's visibility page token plus a check (`<token>.<check>`, base64url; the check is
 * the token's SHA-256, first 8 bytes), so a cursor this API did not issue is refused before Temporal sees it.
 * Why: Temporal answers a malformed token with UNKNOWN, which its client retries until the call deadline, so a
 * made-up cursor looked like an outage (503 after 5 s) instead of a 422. Not a secret: a forged check only
 * earns that 503.
 */
const checkOf = (token: Buffer) => createHash('sha256').update(token).digest().subarray(0, 8).toString('base64url');
const cursorOf = (token: Buffer) => `${token.toString('base64url')}.${checkOf(token)}`;

function pageTokenOf(cursor: string): Buffer | undefined {
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{11})$/.exec(cursor);
  if (!m) return undefined;
  const token = Buffer.from(m[1]!, 'base64url');
  return token.length > 0 && checkOf(token) === m[2] ? token : undefined;
}

export interface RunDetail extends RunSummary {
  progress: unknown;
  result?: unknown;
  error?: string;
}

/** Describes a run the caller may see, or throws 404. */
export async function describeOwnedRun(client: Client, workflowId: string, caller: Caller) {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const desc = await withTemporalDeadline(client, () => handle.describe());
    const owner = desc.typedSearchAttributes.get(UserIdKey);
    const theirs = owner === caller.sub && !STAFF_ONLY_WORKFLOW_TYPES.includes(desc.type);
    if (!isStaff(caller) && !theirs) throw notFound('workflow', workflowId);
    return { handle, desc, owner };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound('workflow', workflowId);
    throw err;
  }
}

export async function runDetail(client: Client, workflowId: string, caller: Caller): Promise<RunDetail> {
  const { handle, desc, owner } = await describeOwnedRun(client, workflowId, caller);
  const status = statusFromProto(desc.raw.workflowExecutionInfo?.status);
  const detail: RunDetail = {
    workflowId,
    runId: desc.runId,
    type: desc.type,
    status,
    businessStatus: desc.typedSearchAttributes.get(StatusKey),
    userId: owner,
    startedAt: desc.startTime.toISOString(),
    closedAt: desc.closeTime?.toISOString(),
    progress: status === 'running' ? ((await queryWithin(client, workflowId, anyProgressQuery)) ?? null) : null,
  };
  // Bounded like the describe above: Temporal going away between the two calls answers 503, not a hang.
  const result = () => withTemporalDeadline(client, () => handle.result());
  if (status === 'completed') detail.result = await result();
  if (status === 'failed' || status === 'timed_out' || status === 'terminated') {
    try {
      await result();
    } catch (err) {
      // Only the run's own failure is its error; anything else (Temporal unreachable) is the request's.
      if (!(err instanceof WorkflowFailedError)) throw err;
      detail.error = err.cause?.message ?? err.message;
    }
  }
  return detail;
}
