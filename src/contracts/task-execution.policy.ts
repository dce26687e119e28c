import { dbRetry, type StepPolicy } from './steps';

/**
 * The steps of one task run (src/workflows/task-execution.ts). Every step is a small indexed read or write
 * keyed by the run's id, so timeouts are short and retries ride out a database restart.
 */
export const TASK_EXECUTION_STEPS = {
  begin: {
    activity: 'beginTaskRun',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '5m',
    retry: dbRetry(10, ['TaskNotFound']),
    reason:
      'One task read and one execution-row upsert keyed by the run id: milliseconds; 15 s catches a stuck connection, 10 attempts (~4 min) ride out a database restart before the occurrence is given up.',
  },
  deliver: {
    activity: 'deliverTaskReminder',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '5m',
    retry: dbRetry(10),
    reason:
      'One conditional inbox insert keyed by run and delivery (a retry inserts nothing twice; a deleted task gets nothing); same budget as begin: a reminder minutes late beats none.',
  },
  push: {
    activity: 'pushTaskReminder',
    required: false,
    queue: 'default',
    local: false,
    // One webhook POST (10 s client limit, DEFAULT_WEBHOOK_TIMEOUT_MS) and one NATS publish (5 s) concurrently.
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '15s',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['ReminderRejected'],
    },
    reason:
      "The reminder to the person's devices (push gateway webhook, NATS), beside the inbox and while the run already waits for the answer; 5 attempts (~30 s) ride out a gateway restart, a later push would be stale. Optional: the inbox has it either way.",
  },
  finish: {
    activity: 'finishTaskRun',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '30m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 30,
      nonRetryableErrorTypes: [],
    },
    reason:
      'One transaction: the outcome (first one wins), counters and streak, a milestone message. The answer must not be lost, so 30 attempts (~25 min) outlast a database failover.',
  },
  publish: {
    activity: 'publishTaskExecuted',
    required: false,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '15s',
      maximumAttempts: 5,
      nonRetryableErrorTypes: [],
    },
    reason:
      'task.executed (ids only) on NATS with a 5 s client limit; 5 attempts (~30 s) ride out a NATS restart. Optional: the outcome is stored either way and readable from the API.',
  },
} as const satisfies Record<string, StepPolicy>;
