import pino, { type Logger } from 'pino';

/**
 * One structured log stream for the API, the worker and Temporal's own logs. Log ids, never health content
 * (architecture principle 6): callers pass ids in bindings, not descriptions or journal text.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'wellflow', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.description', '*.text', '*.password'], remove: true },
  });
}

export type { Logger };
