import type postgres from 'postgres';

/** One INSERT per step; the sixth records the close time (clock_timestamp: the moment of the write). */
export function bareActivities(sql: postgres.Sql) {
  const step = async (id: string, n: number) => {
    if (n < 6) await sql`insert into bench.steps (run_id, step) values (${id}, ${n})`;
    else await sql`insert into bench.closed (run_id) values (${id}) on conflict do nothing`;
  };
  return {
    step,
    async allSteps(id: string): Promise<void> {
      for (let n = 1; n <= 6; n++) await step(id, n);
    },
  };
}

export type BareActivities = ReturnType<typeof bareActivities>;

export const BARE_SCHEMA = `
  create schema if not exists bench;
  create table if not exists bench.steps (run_id text not null, step int not null, at timestamptz not null default clock_timestamp());
  create table if not exists bench.closed (run_id text primary key, closed_at timestamptz not null default clock_timestamp());
`;
