/**
 * Errors as they may be logged: the class, the code, the SQL (placeholders, never values) and the names of
 * what failed (routine, constraint, table, column), never a query parameter or a value PostgreSQL echoes.
 *
 * Why: drizzle wraps every failed query in a `DrizzleQueryError` whose message is
 * `Failed query: <sql>\nparams: <p1>,<p2>,…` and which carries `.params`; its `.cause` (postgres.js'
 * `PostgresError`) may carry `parameters`, a `detail` ("Key (id)=(…) already exists", "Failing row contains
 * (…)"), a `where` ("unnamed portal parameter $1 = '…'") and a message with the rejected value
 * (`invalid input syntax for type uuid: "…"`). Those values are user ids, meal descriptions, journal text.
 *
 * Pure, no dependencies: used by the pino serializers (src/logger.ts), the API's unhandled-error log
 * (src/api/errors.ts), the Temporal runtime logger bridge (src/temporal/runtime.ts) and the activity failure
 * an error becomes in Temporal history (src/temporal/interceptors/attempts.ts).
 */

export interface RedactedError {
  /** The error's class (`DrizzleQueryError`, `PostgresError`, `ApplicationFailure`…), not its `name` field. */
  type: string;
  /** The message without values: drizzle's `params:` part dropped, PostgreSQL's echoed values replaced. */
  message: string;
  /** PostgreSQL SQLSTATE (`23505`, `42501`, `22P02`), or a Node/system code (`ECONNREFUSED`). */
  code?: string;
  /** The failed statement with its `$n` placeholders; string literals replaced. */
  query?: string;
  severity?: string;
  routine?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  dataType?: string;
  /** Temporal ApplicationFailure type, when the error is one. */
  failureType?: string;
  nonRetryable?: boolean;
  /** The stack frames, under the redacted message. */
  stack?: string;
  cause?: RedactedError | string;
}

export const REDACTED = '[redacted]';

/** How deep a cause chain is followed (a failure chain is rarely deeper than 4). */
const MAX_CAUSE_DEPTH = 5;
const MAX_QUERY_CHARS = 4000;

/**
 * Scalar fields copied from any error when present: codes and addresses, never data. Everything else an error
 * carries (`params`, `parameters`, `args`, `detail`, `where`, `hint`, `details`, `internal_query`…) is left out.
 */
const COPIED_FIELDS: Array<[from: string, to: keyof RedactedError]> = [
  ['severity', 'severity'],
  ['routine', 'routine'],
  ['schema_name', 'schema'],
  ['table_name', 'table'],
  ['column_name', 'column'],
  ['constraint_name', 'constraint'],
  ['data_type_name', 'dataType'],
];
const GENERIC_FIELDS = ['errno', 'syscall', 'address', 'port', 'status', 'statusCode'] as const;

/**
 * Drops drizzle's `params: …` part wherever it appears: at the end of a message, or between a message and the
 * stack frames that follow it in a `stack`. What follows `params:` up to the next stack frame (or the end) is
 * the parameter list, so all of it goes (a value may itself contain a comma or a newline).
 */
export function dropParams(text: string): string {
  return text.replace(/(^|\n)\s*params:[\s\S]*?(?=\n\s+at\s|$)/g, '');
}

/** Replaces every SQL string literal ('…', with '' escapes) by '?': an inlined value never reaches a log. */
export function redactSqlLiterals(sql: string): string {
  return sql.replace(/(?:[EeUu]&?)?'(?:[^']|'')*'/g, "'?'");
}

/** The statement as it may be logged: literals replaced, bounded; `$n` placeholders kept. */
export function redactQuery(sql: string): string {
  const clean = redactSqlLiterals(sql);
  return clean.length > MAX_QUERY_CHARS ? `${clean.slice(0, MAX_QUERY_CHARS)}…` : clean;
}

/**
 * Words after which PostgreSQL quotes a name (of something in the schema) rather than a value:
 * `constraint "meals_pkey"`, `column "user_id"`, `relation "meals"`, `encoding "UTF8"`.
 */
const NAME_WORDS = new Set([
  'constraint',
  'column',
  'relation',
  'table',
  'index',
  'type',
  'schema',
  'function',
  'sequence',
  'encoding',
  'database',
  'role',
  'view',
  'trigger',
  'operator',
  'extension',
  'domain',
  'cursor',
  'statement',
  'portal',
  'savepoint',
  'collation',
  'publication',
  'subscription',
  'policy',
]);

/**
 * A PostgreSQL message without the values it echoes: every quoted string that does not follow a schema
 * word is replaced (`invalid input syntax for type uuid: "…"`, `value "…" is out of range for type integer`,
 * `syntax error at or near "…"`), and byte sequences (`invalid byte sequence for encoding "UTF8": 0xe2 0x82`).
 */
export function redactPgMessage(message: string): string {
  return dropParams(message)
    .replace(/(\S*)(\s*)"(?:[^"]|"")*"/g, (whole, word: string, space: string) =>
      NAME_WORDS.has(word.toLowerCase()) ? whole : `${word}${space}"${REDACTED}"`,
    )
    .replace(/0x[0-9a-f]{2}(?:\s+0x[0-9a-f]{2})*/gi, REDACTED);
}

/**
 * Free text (a log message, a string someone made of an error with `String(err)`): drizzle's params part
 * dropped, and PostgreSQL's echoed values replaced when the text carries a PostgreSQL message.
 */
export function redactText(text: string): string {
  const noParams = dropParams(text);
  return /\bPostgresError\b|\binvalid input (?:syntax|value)\b|\bat or near\b|\bout of range\b|\bmalformed\b|\binvalid byte sequence\b/.test(
    noParams,
  )
    ? redactPgMessage(noParams)
    : noParams;
}

type Bag = Record<string, unknown>;

const isObject = (v: unknown): v is Bag => typeof v === 'object' && v !== null;

/** A plain object: an already redacted error (logged again), or an error that crossed a boundary as data. */
function isPlain(err: Bag): boolean {
  const proto: unknown = Object.getPrototypeOf(err);
  return proto === Object.prototype || proto === null;
}

function className(err: Bag): string {
  if (isPlain(err)) {
    if (typeof err.type === 'string') return err.type;
    return typeof err.name === 'string' ? err.name : 'Error';
  }
  const ctor = (err as { constructor?: { name?: unknown } }).constructor;
  if (typeof ctor?.name === 'string' && ctor.name) return ctor.name;
  return typeof err.name === 'string' ? err.name : 'Error';
}

/** postgres.js' error (by class, or by its shape once it has crossed a boundary as a plain object). */
function isPostgresError(err: Bag, type: string): boolean {
  return (
    type === 'PostgresError' ||
    (typeof err.severity === 'string' && typeof err.code === 'string' && typeof err.routine === 'string')
  );
}

/** drizzle's wrapper: `new DrizzleQueryError(query, params, cause)`. */
function isDrizzleQueryError(err: Bag, type: string): boolean {
  return (
    type === 'DrizzleQueryError' ||
    (typeof err.query === 'string' && 'params' in err && String(err.message ?? '').startsWith('Failed query:'))
  );
}

/** The stack frames of `stack` under `header` (the header lines of a stack repeat the raw message). */
function redactStack(stack: unknown, header: string): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at\s/.test(line));
  return [header, ...frames].join('\n');
}

/**
 * Any thrown value as a loggable object without values. Strings are redacted text; other non-objects pass as
 * they are; objects (Errors, and error-shaped plain objects such as a failure that crossed the workflow
 * sandbox) keep only their class, a redacted message, codes, names, redacted stack frames and cause.
 */
export function redactError(err: unknown): RedactedError | string | number | boolean | null | undefined {
  return redactValue(err, 0);
}

function redactValue(err: unknown, depth: number): RedactedError | string | number | boolean | null | undefined {
  if (typeof err === 'string') return redactText(err);
  if (err === null || err === undefined || typeof err === 'number' || typeof err === 'boolean') return err;
  if (!isObject(err)) return redactText(String(err));
  return redactObject(err, depth);
}

function redactObject(err: Bag, depth: number): RedactedError {
  const type = className(err);
  const pg = isPostgresError(err, type);
  const drizzle = isDrizzleQueryError(err, type);
  const rawMessage = typeof err.message === 'string' ? err.message : '';
  let message: string;
  let query: string | undefined;
  if (drizzle) {
    query = typeof err.query === 'string' ? redactQuery(err.query) : undefined;
    message = query !== undefined ? `Failed query: ${query}` : redactText(rawMessage);
  } else if (pg) {
    message = redactPgMessage(rawMessage);
    // postgres.js attaches the statement (non-enumerable, with `parameters`) to errors of a query.
    query = typeof err.query === 'string' ? redactQuery(err.query) : undefined;
  } else {
    message = redactText(rawMessage);
  }

  const out: RedactedError = { type, message };
  if (typeof err.code === 'string' || typeof err.code === 'number') out.code = String(err.code);
  if (query !== undefined) out.query = query;
  for (const [from, to] of COPIED_FIELDS) {
    const v = err[from] ?? err[to]; // postgres.js' name, or ours when an already redacted error is logged again
    if (typeof v === 'string' && v) (out as unknown as Bag)[to] = v;
  }
  for (const key of GENERIC_FIELDS) {
    const v = err[key];
    if (typeof v === 'string' || typeof v === 'number') (out as unknown as Bag)[key] = v;
  }
  // Temporal's ApplicationFailure: its type and retryability say what happened; its details are payloads.
  const failureType = isPlain(err) ? err.failureType : type.endsWith('Failure') ? err.type : undefined;
  if (typeof failureType === 'string') out.failureType = failureType;
  if (typeof err.nonRetryable === 'boolean') out.nonRetryable = err.nonRetryable;
  // The stack's first line is `<name>: <message>`; an already redacted error has no `name`, but its header does.
  const headerName = typeof err.stack === 'string' ? /^(\w+):/.exec(err.stack)?.[1] : undefined;
  const name = typeof err.name === 'string' ? err.name : (headerName ?? type);
  const stack = redactStack(err.stack ?? err.stackTrace, `${name}: ${message}`);
  if (stack !== undefined) out.stack = stack;
  if (err.cause !== undefined && err.cause !== null) {
    out.cause =
      depth + 1 >= MAX_CAUSE_DEPTH
        ? '[cause chain truncated]'
        : (redactValue(err.cause, depth + 1) as RedactedError | string);
  }
  return out;
}

/** Shorthand for log calls: `logger.warn({ err: logErr(err) }, '…')`. */
export const logErr = (err: unknown) => redactError(err);

/**
 * A one-line message for an error that leaves the process (an activity failure stored in Temporal history,
 * which the payload codec does not encrypt): the redacted message, plus the SQLSTATE and the PostgreSQL
 * message (redacted) of a failed query, so the failure still says what went wrong.
 */
export function safeMessage(err: unknown): string {
  const r = redactError(err);
  if (!isObject(r)) return String(r ?? '');
  const red = r as RedactedError;
  const cause = isObject(red.cause) ? (red.cause as RedactedError) : undefined;
  if (cause && cause.type === 'PostgresError') {
    return `${red.message} (${cause.code ? `SQLSTATE ${cause.code}: ` : ''}${cause.message})`;
  }
  return red.message;
}

/** The stack frames of `err` under its redacted message, for a failure's stack trace. */
export function safeStack(err: unknown): string | undefined {
  const r = redactError(err);
  return isObject(r) ? (r as RedactedError).stack : undefined;
}
