/** The text meals every meal bench sends, in turn: four common breakfasts and lunches the food table knows. */
export const BENCH_MEALS = [
  '2 eggs and toast',
  'a bowl of oatmeal with blueberries',
  '150g grilled salmon and rice',
  'chicken caesar salad',
] as const;

/** A bench's progress line, stamped with the time of day. */
export const benchLog = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
