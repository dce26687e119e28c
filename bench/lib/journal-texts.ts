/**
 * Everyday, neutral journal sentences for the screening and encoder benches: a bench needs no health data, only
 * text of realistic words and lengths.
 */
export const EVERYDAY_SENTENCES = [
  'Woke up early and made coffee before anyone else was up.',
  'The bus was late again so I walked the last part, which was actually nice.',
  'Work was busy, lots of meetings, but I finished the report I had been putting off.',
  'Called my brother in the evening and we talked about the trip next month.',
  'Cooked pasta with tomatoes from the market and watched an old film.',
  'Going to bed a bit earlier tonight, trying to keep the routine going.',
] as const;
