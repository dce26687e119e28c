/**
 * What a reminder and a milestone say. Composed from the task's CATEGORY only (a fixed word list), never from
 * the person's task name, config or answers: those may be health content (a medication, a weight goal) and
 * inbox messages and notifications must carry none. The client shows the task itself from GET /v1/tasks/{id}.
 */
const CATEGORY_PROMPTS: Record<string, string> = {
  hydration: 'Time for a glass of water.',
  nutrition: 'Time to log your meal.',
  journaling: 'A few minutes for your journal?',
  body: 'Time for your weekly check-in.',
  medication: 'Time for your reminder.',
  mindfulness: 'Time for a short breathing break.',
};
const FALLBACK = 'Time for your routine.';

export interface ComposedMessage {
  title: string;
  body: string;
}

export function composeReminder(category: string, delivery: number): ComposedMessage {
  const prompt = CATEGORY_PROMPTS[category] ?? FALLBACK;
  return {
    title: delivery > 1 ? 'Reminder (snoozed)' : 'Reminder',
    body: `${prompt} Answer done, snooze or skip.`,
  };
}

export function composeMilestone(days: number): ComposedMessage {
  return { title: `${days}-day streak`, body: `You kept a routine going for ${days} days in a row.` };
}
