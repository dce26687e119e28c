import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { userProfiles } from '../schema';

export type ProfileRow = typeof userProfiles.$inferSelect;
export type ProfileInput = Omit<typeof userProfiles.$inferInsert, 'userId' | 'updatedAt'>;

/** A person's details for personal daily targets and their chosen guideline profile. */
export function createProfileRepository(db: Db) {
  return {
    async get(userId: string): Promise<ProfileRow | undefined> {
      const rows = await db.select().from(userProfiles).where(eq(userProfiles.userId, userId)).limit(1);
      return rows[0];
    },
    async put(userId: string, profile: ProfileInput): Promise<ProfileRow> {
      const values = { ...profile, updatedAt: new Date() };
      const rows = await db.insert(userProfiles).values({ userId, ...values }).onConflictDoUpdate({ target: userProfiles.userId, set: values }).returning();
      return rows[0]!;
    },
    async delete(userId: string): Promise<boolean> {
      const rows = await db.delete(userProfiles).where(eq(userProfiles.userId, userId)).returning({ userId: userProfiles.userId });
      return rows.length > 0;
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
