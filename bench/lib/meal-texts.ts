/** The text meals every meal bench sends, in turn: four common breakfasts and lunches the food table knows. */
export const BENCH_MEALS = [
  '2 eggs and toast',
  'a bowl of oatmeal with blueberries',
  '150g grilled salmon and rice',
  'chicken caesar salad',
] as const;

/** POST /v1/meals with the n-th bench meal, sent as the n-th of the bench's people (`tokens`, in turn). */
export function postBenchMeal(apiUrl: string, tokens: readonly string[], n: number): Promise<Response> {
  return fetch(`${apiUrl}/v1/meals`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens[n % tokens.length]}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ description: BENCH_MEALS[n % BENCH_MEALS.length] }),
  });
}

/** A bench's progress line, stamped with the time of day. */
export const benchLog = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
