import { expect } from 'vitest';

/** Values of the `name` samples, in a Prometheus text exposition, whose labels include `labels`. */
export function samples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) out.push(Number(m[3]));
  }
  return out;
}

/** The one sample of `name` with these labels (fails the test when there is not exactly one). */
export function one(text: string, name: string, labels: Record<string, string> = {}): number {
  const s = samples(text, name, labels);
  expect(s, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return s[0]!;
}
