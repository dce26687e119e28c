import type { Client } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { WORKFLOW_QUEUES } from '../../contracts';
import { ALL_QUEUES } from '../../contracts/queues';
import type { TaskQueueSample } from '../../observability/metrics-queues';
import { withTemporalDeadline } from '../../temporal/workflow-client';

const { TaskQueueKind, TaskQueueType } = proto.api.enums.v1;

/**
 * Per task queue and task type, the pollers (workers) and the backlog, from Temporal's task-queue
 * description. Backlog counts are Temporal's approximations (they lag by a few seconds).
 */
export function createQueueService(deps: { temporal: Client; namespace: string }) {
  async function describe(name: string, type: 'workflow' | 'activity') {
    const res = await withTemporalDeadline(deps.temporal, () =>
      deps.temporal.workflowService.describeTaskQueue({
        namespace: deps.namespace,
        taskQueue: { name, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType:
          type === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        reportStats: true,
      }),
    );
    const stats = res.stats;
    return {
      pollers: (res.pollers ?? []).map((p) => ({
        identity: p.identity ?? '',
        lastAccessTime: optionalTsToDate(p.lastAccessTime)?.toISOString() ?? null,
        ratePerSecond: p.ratePerSecond ?? null,
      })),
      backlog: {
        approximateCount: Number(stats?.approximateBacklogCount ?? 0),
        approximateAgeSeconds: Number(stats?.approximateBacklogAge?.seconds ?? 0),
        tasksAddRate: stats?.tasksAddRate ?? 0,
        tasksDispatchRate: stats?.tasksDispatchRate ?? 0,
      },
    };
  }

  async function list() {
    return Promise.all(
      ALL_QUEUES.map(async (name) => {
        const [workflow, activity] = await Promise.all([describe(name, 'workflow'), describe(name, 'activity')]);
        return {
          name,
          workflow,
          activity,
          pollers: new Set([...workflow.pollers, ...activity.pollers].map((p) => p.identity)).size,
        };
      }),
    );
  }

  return {
    list,
    /** The same description as gauge samples (`wellflow_task_queue_*` on /metrics). */
    async samples(): Promise<TaskQueueSample[]> {
      // An activity-only queue (heavy) has no workflow pollers by design: its workflow sample carries no poller
      // count, so the "queue unpolled" alert does not fire for it, while a workflow started there by mistake
      // still shows as backlog (and its age alerts).
      return (await list()).flatMap((q) =>
        (['workflow', 'activity'] as const).map((taskType) => ({
          queue: q.name,
          taskType,
          backlog: q[taskType].backlog.approximateCount,
          backlogAgeSeconds: q[taskType].backlog.approximateAgeSeconds,
          ...(taskType === 'activity' || WORKFLOW_QUEUES.has(q.name) ? { pollers: q[taskType].pollers.length } : {}),
        })),
      );
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;
