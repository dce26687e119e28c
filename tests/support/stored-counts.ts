import type { Harness } from './harness';

/** How many meals and journal entries a person has stored: a rejected request must leave both where they were. */
export function storedCounts(h: () => Harness) {
  async function mealCount(userId: string): Promise<number> {
    const [row] = await h().database.sql<
      { n: number }[]
    >`select count(*)::int as n from app.meals where user_id = ${userId}`;
    return row!.n;
  }

  async function journalCount(userId: string): Promise<number> {
    const [row] = await h().database.sql<
      { n: number }[]
    >`select count(*)::int as n from app.journal_entries where user_id = ${userId}`;
    return row!.n;
  }

  return { mealCount, journalCount };
}
