import type { Database } from '../../db/client';
import { createProfileRepository, feedbackProfileOf, type ProfileRow } from '../../db/repositories/profiles';
import { dailyTargets } from '../../domain/feedback';
import type { ProfileInput, ProfileViewData } from '../schemas/profile';

/** The caller's own profile: personal daily targets (Mifflin-St Jeor) and the guideline profile for feedback. */
export function createProfileService(deps: { database: Database }) {
  const profiles = createProfileRepository(deps.database.db);

  return {
    get: async (userId: string) => view(await profiles.get(userId)),
    put: async (userId: string, p: ProfileInput) =>
      view(
        await profiles.put(userId, {
          sex: p.sex,
          ageYears: p.ageYears,
          heightCm: p.heightCm,
          weightKg: p.weightKg,
          activity: p.activity,
          guidelineProfile: p.guidelineProfile ?? null,
        }),
      ),
    remove: (userId: string) => profiles.delete(userId),
  };
}

function view(row: ProfileRow | undefined): ProfileViewData {
  const { personal, guidelineProfileId } = feedbackProfileOf(row);
  return {
    ...(personal ?? {}),
    ...(guidelineProfileId ? { guidelineProfile: guidelineProfileId } : {}),
    ...(row ? { updatedAt: row.updatedAt.toISOString() } : {}),
    targets: dailyTargets(personal, guidelineProfileId),
  };
}
export type ProfileService = ReturnType<typeof createProfileService>;
