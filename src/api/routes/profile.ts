import { createRoute, z } from '@hono/zod-openapi';
import { createProfileRepository, feedbackProfileOf, type ProfileRow } from '../../db/repositories/profiles';
import { ACTIVITY_LEVELS, dailyTargets, profileIds, SEXES, USER_PROFILE_LIMITS } from '../../domain/feedback';
import { caller } from '../auth';
import type { ApiDeps, App } from '../deps';
import { ErrorEnvelopeSchema } from '../errors';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
const L = USER_PROFILE_LIMITS;

// Adults only (the feedback is not for children, pregnancy or clinical diets): the ranges come from the engine.
const ProfileBody = z
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

const ProfileView = ProfileBody.extend({ updatedAt: z.string(), targets: z.unknown() })
  .partial()
  .openapi('ProfileView');

function view(row: ProfileRow | undefined) {
  const { personal, guidelineProfileId } = feedbackProfileOf(row);
  return {
    ...(personal ?? {}),
    ...(guidelineProfileId ? { guidelineProfile: guidelineProfileId } : {}),
    ...(row ? { updatedAt: row.updatedAt.toISOString() } : {}),
    targets: dailyTargets(personal, guidelineProfileId),
  };
}

/** The caller's own profile: personal daily targets (Mifflin-St Jeor) and the guideline profile for feedback. */
export function registerProfileRoutes(app: App, deps: ApiDeps): void {
  const profiles = createProfileRepository(deps.database.db);
  const security = [{ bearer: [] }];
  const ok = {
    content: { 'application/json': { schema: ProfileView } },
    description: 'The profile and the daily targets it gives',
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/profile',
      tags: ['profile'],
      summary: 'My profile and daily targets (defaults without one)',
      security,
      responses: { 200: ok, 401: err('No or invalid token') },
    }),
    async (c) => c.json(view(await profiles.get(caller(c).sub)) as z.infer<typeof ProfileView>, 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/me/profile',
      tags: ['profile'],
      summary: 'Set my profile',
      security,
      request: { body: { content: { 'application/json': { schema: ProfileBody } }, required: true } },
      responses: { 200: ok, 400: err('Malformed JSON'), 401: err('No or invalid token'), 422: err('Invalid profile') },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const row = await profiles.put(caller(c).sub, {
        sex: b.sex,
        ageYears: b.ageYears,
        heightCm: b.heightCm,
        weightKg: b.weightKg,
        activity: b.activity,
        guidelineProfile: b.guidelineProfile ?? null,
      });
      return c.json(view(row) as z.infer<typeof ProfileView>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me/profile',
      tags: ['profile'],
      summary: 'Delete my profile (back to defaults)',
      security,
      responses: { 204: { description: 'Deleted' }, 401: err('No or invalid token') },
    }),
    async (c) => {
      await profiles.delete(caller(c).sub);
      return c.body(null, 204);
    },
  );
}
