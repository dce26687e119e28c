/**
 * A PostgreSQL identifier quoted for SQL text: VACUUM takes no bind parameters, so table names (from
 * pg_tables, but still data) are quoted, with embedded quotes doubled, never interpolated bare.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) throw new RangeError('not a valid identifier');
  return `"${name.replace(/"/g, '""')}"`;
}
