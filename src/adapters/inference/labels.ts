/**
 * One spelling for food labels, whatever the model's vocabulary: `Apple_Pie`, ` apple pie ` and `APPLE  PIE`
 * all become `apple pie`, so they match food-composition lookups and each other.
 * Hyphens are kept (`stir-fry`), only underscores become spaces.
 */
export function normalizeLabel(label: string): string {
  return label.normalize('NFKC').replace(/_/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}
