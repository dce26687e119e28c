import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ApplicationFailure, DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import { DrizzleQueryError, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import {
  dropParams,
  redactError,
  redactPgMessage,
  redactText,
  type RedactedError,
  safeMessage,
} from '../../src/observability/redact';
import { attemptReportInterceptor } from '../../src/temporal/interceptors/attempts';
import { redactTemporalMeta, runtimeOptions } from '../../src/temporal/runtime';

/**
 * Error redaction (issue 12, item 18): a drizzle query error, and the postgres.js error under it, are logged
 * with their class, SQLSTATE, SQL with placeholders and names, never a parameter or a value PostgreSQL echoes.
 * The errors are real ones, made by a failing query against the local PostgreSQL.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MARKER = `MARKER${randomUUID().replace(/-/g, '').slice(0, 10)}`;

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));

let client: postgres.Sql | undefined;
/** A real postgres.js error (22P02 on `$1::uuid`) and the DrizzleQueryError drizzle wraps it in. */
let pgError: Error;
let drizzleError: Error;
/** A real unique violation (23505): its `detail` says `Key (id)=(<marker>) already exists`. */
let uniqueError: Error;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the query was expected to fail');
}

beforeAll(async () => {
  try {
    client = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    await client`select 1`;
  } catch {
    // No local PostgreSQL: the same shapes by hand (what postgres.js and drizzle build).
    client = undefined;
  }
  if (client) {
    const db = drizzle(client);
    pgError = await failure(client`select ${MARKER}::uuid`);
    drizzleError = await failure(db.execute(sql`select ${MARKER}::uuid as id, ${'u-' + MARKER} as user_id`));
    await client`create temporary table redaction_probe (id text primary key, note text not null)`;
    await client`insert into redaction_probe values (${MARKER}, 'x')`;
    uniqueError = await failure(db.execute(sql`insert into redaction_probe values (${MARKER}, ${MARKER + ' lunch'})`));
  } else {
    pgError = Object.assign(new Error(`invalid input syntax for type uuid: "${MARKER}"`), {
      name: 'PostgresError',
      severity: 'ERROR',
      code: '22P02',
      where: `unnamed portal parameter $1 = '${MARKER}'`,
      routine: 'string_to_uuid',
    });
    drizzleError = new DrizzleQueryError('select $1::uuid as id, $2 as user_id', [MARKER, 'u-' + MARKER], pgError);
    uniqueError = new DrizzleQueryError(
      'insert into redaction_probe values ($1, $2)',
      [MARKER, MARKER + ' lunch'],
      Object.assign(new Error('duplicate key value violates unique constraint "redaction_probe_pkey"'), {
        name: 'PostgresError',
        severity: 'ERROR',
        code: '23505',
        detail: `Key (id)=(${MARKER}) already exists.`,
        table_name: 'redaction_probe',
        constraint_name: 'redaction_probe_pkey',
        routine: '_bt_check_unique',
      }),
    );
  }
});

afterAll(async () => {
  await client?.end({ timeout: 5 });
});

describe('the errors really carry the values (else these tests prove nothing)', () => {
  it('drizzle and postgres.js put the marker in message, params, where, detail', () => {
    expect(drizzleError).toBeInstanceOf(DrizzleQueryError);
    expect(drizzleError.message).toContain(`params: ${MARKER}`);
    expect((drizzleError as DrizzleQueryError).params).toContain(MARKER);
    expect(pgError.message).toContain(MARKER);
    expect(String((uniqueError.cause as { detail?: string }).detail)).toContain(MARKER);
  });
});

describe('redactError', () => {
  it('a DrizzleQueryError: class, SQL with placeholders, SQLSTATE and routine of its cause; no value', () => {
    const r = redactError(drizzleError) as RedactedError;
    expect(json(r)).not.toContain(MARKER);
    expect(r.type).toBe('DrizzleQueryError');
    expect(r.message).toBe('Failed query: select $1::uuid as id, $2 as user_id');
    expect(r.query).toBe('select $1::uuid as id, $2 as user_id');
    expect(r).not.toHaveProperty('params');
    const cause = r.cause as RedactedError;
    expect(cause.type).toBe('PostgresError');
    expect(cause.code).toBe('22P02');
    expect(cause.routine).toBe('string_to_uuid');
    expect(cause.message).toBe('invalid input syntax for type uuid: "[redacted]"');
    expect(cause).not.toHaveProperty('where');
    expect(cause).not.toHaveProperty('parameters');
    // Stack frames stay (where it failed), under the redacted message.
    expect(r.stack?.split('\n')[0]).toBe('Error: Failed query: select $1::uuid as id, $2 as user_id');
  });

  it('a postgres.js error on its own (its query and parameters are attached, non-enumerable)', () => {
    const r = redactError(pgError) as RedactedError;
    expect(json(r)).not.toContain(MARKER);
    expect(r).toMatchObject({ type: 'PostgresError', code: '22P02', severity: 'ERROR' });
    if (client) expect(r.query).toBe('select $1::uuid');
  });

  it("a unique violation: constraint and table names, not the detail's key value", () => {
    const r = redactError(uniqueError) as RedactedError;
    expect(json(r)).not.toContain(MARKER);
    expect(r.cause).toMatchObject({
      type: 'PostgresError',
      code: '23505',
      table: 'redaction_probe',
      constraint: 'redaction_probe_pkey',
      message: 'duplicate key value violates unique constraint "redaction_probe_pkey"',
    });
    expect(json(r)).not.toMatch(/detail|Key \(id\)/);
  });

  it('is idempotent: an already redacted error logged again keeps its class and names', () => {
    const once = redactError(uniqueError) as RedactedError;
    const twice = redactError(once) as RedactedError;
    expect(twice).toEqual(once);
  });

  it('strings (String(err)) lose the params part; other values pass', () => {
    expect(redactError(String(drizzleError))).toBe('Error: Failed query: select $1::uuid as id, $2 as user_id');
    expect(redactError(undefined)).toBeUndefined();
    expect(redactError(42)).toBe(42);
  });

  it('an ApplicationFailure keeps its failure type and retryability', () => {
    const f = ApplicationFailure.nonRetryable('no food in the meal was recognised', 'NoRecognizableFood');
    expect(redactError(f)).toMatchObject({
      type: 'ApplicationFailure',
      failureType: 'NoRecognizableFood',
      nonRetryable: true,
      message: 'no food in the meal was recognised',
    });
  });

  it('follows a cause chain only so deep', () => {
    let e: Error = new Error('root');
    for (let i = 0; i < 20; i++) e = new Error(`level ${i}`, { cause: e });
    expect(json(redactError(e))).toContain('[cause chain truncated]');
  });
});

describe('text redaction', () => {
  it('drops params at the end of a message and between a message and its stack frames', () => {
    expect(dropParams('Failed query: select $1\nparams: a,b\nc')).toBe('Failed query: select $1');
    expect(dropParams('Error: Failed query: select $1\nparams: a,b\n    at f (x.js:1:1)')).toBe(
      'Error: Failed query: select $1\n    at f (x.js:1:1)',
    );
  });

  it('PostgreSQL messages: values replaced, schema names kept', () => {
    expect(redactPgMessage(`value "${MARKER}" is out of range for type integer`)).toBe(
      'value "[redacted]" is out of range for type integer',
    );
    expect(redactPgMessage(`syntax error at or near "${MARKER}"`)).toBe('syntax error at or near "[redacted]"');
    expect(redactPgMessage('invalid byte sequence for encoding "UTF8": 0xe2 0x82')).toBe(
      'invalid byte sequence for encoding "UTF8": [redacted]',
    );
    expect(redactPgMessage('null value in column "user_id" of relation "meals" violates not-null constraint')).toBe(
      'null value in column "user_id" of relation "meals" violates not-null constraint',
    );
    expect(redactText(`insert failed: invalid input value for enum meal_type: "${MARKER}"`)).not.toContain(MARKER);
  });

  it('SQL string literals are replaced (an inlined value, a password in unsafe DDL)', () => {
    const r = redactError(
      Object.assign(
        new Error('x'),
        { name: 'PostgresError', severity: 'ERROR', code: '42601', routine: 'r' },
        {
          query: `alter role x password '${MARKER}'`,
        },
      ),
    ) as RedactedError;
    expect(r.query).toBe("alter role x password '?'");
  });
});

describe('where errors are logged', () => {
  const capture = () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    return { lines, logger: createLogger('debug', sink) };
  };

  it('pino: err, error, cause, failure, any Error-valued key, a bare error, String(err), the message', () => {
    const { lines, logger } = capture();
    logger.error({ err: drizzleError }, 'unhandled error');
    logger.error({ err: drizzleError }); // pino takes the raw message as msg
    logger.error(drizzleError);
    logger.warn({ error: uniqueError, cause: pgError, failure: drizzleError, other: drizzleError }, 'x');
    logger.warn({ err: String(drizzleError) }, 'stringified');
    logger.child({ err: drizzleError }).info('child binding');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toContain(MARKER);
    const first = JSON.parse(lines[0]!) as { err: RedactedError };
    expect(first.err.type).toBe('DrizzleQueryError');
    expect((first.err.cause as RedactedError).code).toBe('22P02');
    expect((JSON.parse(lines[1]!) as { msg: string }).msg).toBe('Failed query: select $1::uuid as id, $2 as user_id');
  });

  it('the Temporal runtime logger bridge: error metadata and messages', () => {
    const { lines, logger } = capture();
    const temporalLogger = runtimeOptions(logger).logger!;
    temporalLogger.warn('Activity failed', { error: drizzleError, durationMs: 3, activityType: 'mealFeedback' });
    temporalLogger.error(`Error while processing ActivityTask.start: ${drizzleError.message}`, {
      failure: { message: drizzleError.message, stackTrace: drizzleError.stack, cause: { message: pgError.message } },
    });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(MARKER);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'Activity failed', activityType: 'mealFeedback' });
    expect(redactTemporalMeta({ n: 1, s: `a\nparams: ${MARKER}` })).toEqual({ n: 1, s: 'a' });
  });

  it('an activity failure made from a DrizzleQueryError: no value in its message, stack or converted failure', async () => {
    const ctx = { info: { attempt: 2 } } as unknown as Context;
    const { inbound } = attemptReportInterceptor(ctx);
    let thrown: unknown;
    try {
      await inbound!.execute!({ args: [], headers: {} }, () => Promise.reject(drizzleError));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    const f = thrown as ApplicationFailure;
    expect(f.message).toBe(safeMessage(drizzleError));
    expect(f.message).toMatch(/^Failed query: select \$1::uuid as id, \$2 as user_id \(SQLSTATE 22P02: /);
    expect(f.type).toBe('Error');
    expect(f.nonRetryable).toBeFalsy();
    // What Temporal stores in history: message and stack trace in clear (only details are payloads).
    const proto = new DefaultFailureConverter().errorToFailure(f, defaultPayloadConverter);
    expect(json(proto)).not.toContain(MARKER);
    expect(proto.stackTrace).toContain('    at ');

    // An ApplicationFailure whose cause is a database error: the cause is redacted too.
    let wrapped: unknown;
    try {
      await inbound!.execute!({ args: [], headers: {} }, () =>
        Promise.reject(ApplicationFailure.create({ message: 'record failed', type: 'X', cause: drizzleError })),
      );
    } catch (e) {
      wrapped = e;
    }
    const wrappedProto = new DefaultFailureConverter().errorToFailure(wrapped as Error, defaultPayloadConverter);
    expect(json(wrappedProto)).not.toContain(MARKER);
    expect(wrappedProto.cause?.message).toMatch(/^Failed query: /);
  });
});
