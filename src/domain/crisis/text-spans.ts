import type { ContextRule } from './context-rule';

/** Words, sentences and context-rule hits of a normalised text, as offsets into it. */

export interface Token {
  text: string;
  start: number;
  end: number;
}
export interface Sentence {
  start: number;
  end: number;
}
export interface Hit {
  id: string;
  start: number;
  end: number;
}

export function tokenize(text: string): Token[] {
  return [...text.matchAll(/[a-z0-9]+(?:'[a-z]+)*/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Sentences end at . ! ? ; or a newline; an ellipsis does not end one; a sentence of one or two words joins the previous one. */
export function splitSentences(text: string, tokens: readonly Token[]): Sentence[] {
  const raw: Sentence[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const single = c === '.' && text.charAt(i + 1) !== '.' && text.charAt(i - 1) !== '.';
    if (c === '!' || c === '?' || c === ';' || c === '\n' || c === '\r' || single) {
      raw.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  raw.push({ start, end: text.length });
  const merged: Sentence[] = [];
  for (const s of raw) {
    const words = tokens.filter((t) => t.start >= s.start && t.end <= s.end).length;
    const last = merged[merged.length - 1];
    if (last && words <= 2) last.end = s.end;
    else merged.push({ ...s });
  }
  return merged;
}

export function scan(rules: readonly ContextRule[], text: string): Hit[] {
  const out: Hit[] = [];
  for (const r of rules)
    for (const m of text.matchAll(r.pattern))
      if (m[0].length > 0) out.push({ id: r.id, start: m.index, end: m.index + m[0].length });
  return out;
}

export function sentenceIndex(sentences: readonly Sentence[], pos: number): number {
  const i = sentences.findIndex((s) => pos >= s.start && pos < s.end);
  return i < 0 ? sentences.length - 1 : i;
}
