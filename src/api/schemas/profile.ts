import { z } from '@hono/zod-openapi';
import { ACTIVITY_LEVELS, profileIds, SEXES, USER_PROFILE_LIMITS } from '../../domain/feedback';

const L = USER_PROFILE_LIMITS;

// Adults only (the feedback is not for children, pregnancy or clinical diets): the ranges come from the engine.
export const ProfileBody = z
  .object({
    sex: z.enum(SEXES as [string, ...string[]]),
    ageYears: z.number().int().min(L.ageYears.min).max(L.ageYears.max),
    heightCm: z.number().min(L.heightCm.min).max(L.heightCm.max),
    weightKg: z.number().min(L.weightKg.min).max(L.weightKg.max),
    activity: z.enum(ACTIVITY_LEVELS as [string, ...string[]]),
    guidelineProfile: z
      .enum(profileIds as [string, ...string[]])
      .optional()
      .openapi({ description: 'who (default), us-dga or uk-fop' }),
  })
  .strict()
  .openapi('Profile');
export type ProfileInput = z.infer<typeof ProfileBody>;

export const ProfileView = ProfileBody.extend({ updatedAt: z.string(), targets: z.unknown() })
  .partial()
  .openapi('ProfileView');
export type ProfileViewData = z.infer<typeof ProfileView>;
