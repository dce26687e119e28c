import type { UserProfile } from '../../src/domain/feedback';

// Two adult profiles for the feedback tests.

export const man: UserProfile = { sex: 'male', ageYears: 30, heightCm: 180, weightKg: 80, activity: 'moderate' };
export const woman: UserProfile = { sex: 'female', ageYears: 40, heightCm: 165, weightKg: 60, activity: 'sedentary' };
