import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context';

/**
 * One structured log stream for the API, the worker and Temporal's own logs. Log ids, never health content
 * (docs/architecture.md, principle 6): callers pass ids in bindings, not descriptions or journal text.
 */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'wellflow', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The request id of the HTTP call, or of the activity's workflow, on every line written on its behalf.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: { paths: ['req.headers.authorization', '*.description', '*.text', '*.password'], remove: true },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
