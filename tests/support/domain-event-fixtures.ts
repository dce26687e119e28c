// Ids and a time for the domain event tests (the events carry ids only), and the plain JSON object type.

export const MEAL = '6f1c2a4e-1b7d-4c1e-9a55-3f1b2c3d4e5f';
export const INSIGHT = '0b9d7c1e-2f3a-4b5c-8d6e-7f8091a2b3c4';
export const CASE = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
export const RUN = '11111111-2222-4333-8444-555555555555';
export const AT = '2026-11-16T08:00:02.113Z';
export type Json = Record<string, unknown>;
