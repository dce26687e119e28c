/** The days of the week as the API spells them, Monday first (ISO 8601 order: index + 1 is the ISO weekday). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
