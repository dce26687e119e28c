/** One context rule: an idiom, or a timing, laughter or echo marker (rules-context-*.ts). */
export interface ContextRule {
  readonly id: string;
  readonly pattern: RegExp;
}
