import { and, asc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import {
  crisisCases,
  inboxMessages,
  journalEntries,
  mealAnalyses,
  meals,
  taskExecutions,
  tasks,
  userProfiles,
  weeklyInsights,
} from '../schema';

/**
 * Reads one person's data for an account export, page by page (docs/account-lifecycle.md, Export): every list
 * is a keyset page on the table's per-person index, so an export of any size holds one page in memory and
 * never an offset scan. A cursor is the last row's sort key; `undefined` starts at the beginning.
 */
export interface Page<Row, Cursor> {
  rows: Row[];
  /** Where the next page starts; undefined when this was the last one. */
  next?: Cursor;
}

/** `at` is PostgreSQL's own text of the timestamp: microseconds, which a JS Date would round to ms. */
export type TimeCursor = { at: string; id: string };

/** The exact cursor text of a timestamp column, selected beside each row. */
const atText = (col: PgColumn) => sql<string>`${col}::text`;

function page<Row, Cursor>(rows: Row[], limit: number, cursorOf: (row: Row) => Cursor): Page<Row, Cursor> {
  return rows.length < limit ? { rows } : { rows, next: cursorOf(rows[rows.length - 1]!) };
}

/** `(time, id) > (cursor)`, the row comparison the (user, time desc, id desc) indexes serve scanning backward. */
const after = (time: unknown, id: unknown, c: TimeCursor | undefined) =>
  c ? sql`(${time}, ${id}) > (${c.at}::timestamptz, ${c.id})` : undefined;

export function createAccountExportReads(db: Db) {
  return {
    async profile(userId: string) {
      const rows = await db.select().from(userProfiles).where(eq(userProfiles.userId, userId)).limit(1);
      return rows[0];
    },

    /** Meals with their analysis (null while none), oldest first. */
    async meals(userId: string, cursor: TimeCursor | undefined, limit: number) {
      const rows = await db
        .select({ meal: meals, analysis: mealAnalyses, at: atText(meals.eatenAt) })
        .from(meals)
        .leftJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(eq(meals.userId, userId), after(meals.eatenAt, meals.id, cursor)))
        .orderBy(asc(meals.eatenAt), asc(meals.id))
        .limit(limit);
      return page(rows, limit, (r) => ({ at: r.at, id: r.meal.id }));
    },

    /** Meals whose photo is still stored (not deleted by retention), oldest first: the archive's photos. */
    async mealPhotos(userId: string, cursor: TimeCursor | undefined, limit: number) {
      const rows = await db
        .select({ id: meals.id, imageKey: meals.imageKey, at: atText(meals.eatenAt) })
        .from(meals)
        .where(
          and(
            eq(meals.userId, userId),
            isNotNull(meals.imageKey),
            isNull(meals.imageDeletedAt),
            after(meals.eatenAt, meals.id, cursor),
          ),
        )
        .orderBy(asc(meals.eatenAt), asc(meals.id))
        .limit(limit);
      return page(rows, limit, (r) => ({ at: r.at, id: r.id }));
    },

    /** How many photos the archive will hold (for the README, written before them). */
    async countPhotos(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(meals)
        .where(and(eq(meals.userId, userId), isNotNull(meals.imageKey), isNull(meals.imageDeletedAt)));
      return row?.n ?? 0;
    },

    async journalEntries(userId: string, cursor: TimeCursor | undefined, limit: number) {
      const rows = await db
        .select({ row: journalEntries, at: atText(journalEntries.createdAt) })
        .from(journalEntries)
        .where(and(eq(journalEntries.userId, userId), after(journalEntries.createdAt, journalEntries.id, cursor)))
        .orderBy(asc(journalEntries.createdAt), asc(journalEntries.id))
        .limit(limit);
      return page(rows, limit, (r) => ({ at: r.at, id: r.row.id }));
    },

    async insights(userId: string, cursor: string | undefined, limit: number) {
      const rows = await db
        .select()
        .from(weeklyInsights)
        .where(and(eq(weeklyInsights.userId, userId), cursor ? gt(weeklyInsights.weekStart, cursor) : undefined))
        .orderBy(asc(weeklyInsights.weekStart))
        .limit(limit);
      return page(rows, limit, (r) => r.weekStart);
    },

    async tasks(userId: string, cursor: TimeCursor | undefined, limit: number) {
      const rows = await db
        .select({ row: tasks, at: atText(tasks.createdAt) })
        .from(tasks)
        .where(and(eq(tasks.userId, userId), after(tasks.createdAt, tasks.id, cursor)))
        .orderBy(asc(tasks.createdAt), asc(tasks.id))
        .limit(limit);
      return page(rows, limit, (r) => ({ at: r.at, id: r.row.id }));
    },

    async taskExecutions(userId: string, cursor: TimeCursor | undefined, limit: number) {
      const rows = await db
        .select({ row: taskExecutions, at: atText(taskExecutions.startedAt) })
        .from(taskExecutions)
        .where(and(eq(taskExecutions.userId, userId), after(taskExecutions.startedAt, taskExecutions.id, cursor)))
        .orderBy(asc(taskExecutions.startedAt), asc(taskExecutions.id))
        .limit(limit);
      return page(rows, limit, (r) => ({ at: r.at, id: r.row.id }));
    },

    async inbox(userId: string, cursor: TimeCursor | undefined, limit: number) {
      const rows = await db
        .select({ row: inboxMessages, at: atText(inboxMessages.createdAt) })
        .from(inboxMessages)
        .where(and(eq(inboxMessages.userId, userId), after(inboxMessages.createdAt, inboxMessages.id, cursor)))
        .orderBy(asc(inboxMessages.createdAt), asc(inboxMessages.id))
        .limit(limit);
      return page(rows, limit, (r) => ({ at: r.at, id: r.row.id }));
    },

    /** The person's crisis cases (a handful at most: one open at a time). */
    async crisisCases(userId: string) {
      return db.select().from(crisisCases).where(eq(crisisCases.userId, userId)).orderBy(asc(crisisCases.openedAt));
    },
  };
}

export type AccountExportReads = ReturnType<typeof createAccountExportReads>;
