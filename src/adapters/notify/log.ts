import type { Logger } from '../../logger';
import { type CrisisNotification, type Notifier, pickNotification } from './types';

/**
 * Writes each notification to the structured log. Always part of the configured notifier, so that every
 * alert (and every retry of it) leaves an audit line even when no external channel is set up. Logs the
 * allowed fields only: ids, tier, level, recipient, deadline and link.
 */
export function createLogNotifier(logger: Logger): Notifier {
  const log = logger.child({ component: 'notify' });
  return {
    kind: 'log',
    async notify(n: CrisisNotification) {
      // warn, not info: a crisis alert must stay visible where operators filter out routine info lines.
      log.warn({ notification: pickNotification(n) }, `crisis notification ${n.event}`);
    },
    async close() {},
  };
}
