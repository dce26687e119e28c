import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context';
import { redactError, redactText } from './observability/redact';

/**
 * Error-valued keys: whatever is logged under them (an Error, a failure, a `String(err)`) is written without
 * values: class, code, SQL with placeholders, names; never drizzle's `params`, postgres.js' `parameters`,
 * `detail` or `where` (src/observability/redact.ts).
 */
const ERROR_KEYS = ['err', 'error', 'cause', 'failure'] as const;

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
    serializers: {
      ...Object.fromEntries(ERROR_KEYS.map((k) => [k, redactError])),
      // pino takes an error's raw message as the line's message when none is given (`logger.error(err)`,
      // `logger.error({ err })`), and the SDK puts error messages into its own: the params part goes.
      msg: (msg: unknown) => (typeof msg === 'string' ? redactText(msg) : msg),
    },
    formatters: {
      // An error under any other top-level key is written the same way.
      log: (obj) => {
        let out: Record<string, unknown> | undefined;
        for (const [k, v] of Object.entries(obj)) {
          if (v instanceof Error && !(ERROR_KEYS as readonly string[]).includes(k)) {
            out ??= { ...obj };
            out[k] = redactError(v);
          }
        }
        return out ?? obj;
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
