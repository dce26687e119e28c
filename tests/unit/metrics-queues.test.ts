import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerQueueGauges, type TaskQueueSample } from '../../src/observability/metrics-queues';

const logger = pino({ level: 'silent' });

describe('task-queue gauges', () => {
  it('exports a poller count only where workers are meant to poll; backlog for every queue and task type', async () => {
    const registry = new Registry();
    const samples: TaskQueueSample[] = [
      { queue: 'default', taskType: 'workflow', backlog: 0, backlogAgeSeconds: 0, pollers: 2 },
      { queue: 'heavy', taskType: 'activity', backlog: 1, backlogAgeSeconds: 3, pollers: 1 },
      // heavy runs activities only: a workflow task there is a mistake, visible as backlog, never "unpolled".
      { queue: 'heavy', taskType: 'workflow', backlog: 4, backlogAgeSeconds: 90 },
    ];
    registerQueueGauges([registry], async () => samples, logger);
    const text = await registry.metrics();
    expect(text).toContain('wellflow_task_queue_pollers{queue="default",task_type="workflow"} 2');
    expect(text).toContain('wellflow_task_queue_pollers{queue="heavy",task_type="activity"} 1');
    expect(text).not.toContain('wellflow_task_queue_pollers{queue="heavy",task_type="workflow"}');
    expect(text).toContain('wellflow_task_queue_backlog{queue="heavy",task_type="workflow"} 4');
    expect(text).toContain('wellflow_task_queue_backlog_age_seconds{queue="heavy",task_type="workflow"} 90');
  });
});
