import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { inject } from 'vitest';

/**
 * A login role with every privilege on the app schema, then `restrict` (SQL run as admin) applied, and its URL on
 * the run's database. Real code paths then fail with a real DrizzleQueryError (SQLSTATE 42501) whose parameters
 * carry what the test sent: the honest way to make a database error now that every API input is validated.
 * Callers drop the role when done (`drop role`; it owns nothing).
 */
export async function restrictedRole(
  admin: postgres.Sql,
  name: string,
  restrict: (role: string) => Promise<void>,
): Promise<{ role: string; url: string }> {
  const role = `wf_${name}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const password = randomBytes(12).toString('hex');
  await admin.unsafe(`create role ${role} login password '${password}'`);
  await admin.unsafe(`grant usage on schema app to ${role}`);
  await admin.unsafe(`grant all privileges on all tables in schema app to ${role}`);
  await admin.unsafe(`grant all privileges on all sequences in schema app to ${role}`);
  await restrict(role);
  const url = new URL(inject('databaseUrl'));
  url.username = role;
  url.password = password;
  return { role, url: url.toString() };
}
