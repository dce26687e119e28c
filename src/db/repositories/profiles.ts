import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { type GuidelineProfileId, isGuidelineProfileId, type UserProfile } from '../../domain/feedback';
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
      const rows = await db
        .insert(userProfiles)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: userProfiles.userId, set: values })
        .returning();
      return rows[0]!;
    },
    /** The zone of the person's insight schedule (null when they remove it), without touching other fields. */
    async setTimezone(userId: string, timezone: string | null): Promise<void> {
      await db
        .insert(userProfiles)
        .values({ userId, timezone })
        .onConflictDoUpdate({ target: userProfiles.userId, set: { timezone, updatedAt: new Date() } });
    },
    async delete(userId: string): Promise<boolean> {
      const rows = await db
        .delete(userProfiles)
        .where(eq(userProfiles.userId, userId))
        .returning({ userId: userProfiles.userId });
      return rows.length > 0;
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;

/** The stored profile as the feedback engine reads it: personal details only when all five are set. */
export function feedbackProfileOf(row: ProfileRow | undefined): {
  personal?: UserProfile;
  guidelineProfileId?: GuidelineProfileId;
} {
  const personal =
    row?.sex && row.ageYears && row.heightCm && row.weightKg && row.activity
      ? ({
          sex: row.sex,
          ageYears: row.ageYears,
          heightCm: row.heightCm,
          weightKg: row.weightKg,
          activity: row.activity,
        } as UserProfile)
      : undefined;
  const guidelineProfileId = isGuidelineProfileId(row?.guidelineProfile) ? row.guidelineProfile : undefined;
  return { ...(personal ? { personal } : {}), ...(guidelineProfileId ? { guidelineProfileId } : {}) };
}
