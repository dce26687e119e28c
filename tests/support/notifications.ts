import type { CrisisNotification } from '../../src/adapters/notify';

let seq = 0;

/**
 * A staff alert as the case run sends one (ids, tier, level, role, deadline, link; never the person's words),
 * unique per call so deliveries can be told apart (and NATS or SMTP dedupe never merges two tests' alerts).
 */
export function sampleNotification(over: Partial<CrisisNotification> = {}): CrisisNotification {
  seq++;
  return {
    event: 'case.escalated',
    caseId: `case-${seq}`,
    userId: `user-${seq}`,
    tier: 'high',
    level: 1,
    recipient: 'on-call-clinician',
    ackDeadline: '2030-01-01T14:05:31.000Z',
    link: `https://staff.example/v1/crisis/cases/case-${seq}`,
    notificationId: `case-${seq}:ntf-${process.pid}-${Date.now()}:n${seq}`,
    occurredAt: '2030-01-01T14:00:31.000Z',
    ...over,
  };
}
