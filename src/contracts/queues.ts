/**
 * Task queues route work by urgency and cost (docs/architecture.md, principle 5). Pure constants: imported by
 * workflows, so nothing here may touch Node or I/O.
 */
export const QUEUES = {
  /** Crisis cases: own worker slots so they never wait behind batch or image work. */
  critical: 'critical',
  /** Ordinary orchestration and light activities. */
  default: 'default',
  /** Image decoding and model inference: CPU/GPU bound, scaled separately. */
  heavy: 'heavy',
} as const;

export type QueueName = keyof typeof QUEUES;
export const ALL_QUEUES = ['critical', 'default', 'heavy'] as const satisfies readonly QueueName[];
