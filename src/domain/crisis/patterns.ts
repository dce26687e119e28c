/**
 * Pattern helpers shared by the rule tables. Rules are written as readable regex sources over NORMALISED text
 * (lower case, straight apostrophes, same length as the original so spans map 1:1). A literal space in a source
 * means "one or more spaces or tabs" and " ?" means "optional spaces"; never put a literal space inside [...].
 */

/** Compiles a rule source into a global regex (matchAll clones it, so the shared object is never mutated). */
export function compile(source: string): RegExp {
  return new RegExp(source.replace(/ \?/g, '[\\x20\\t]*').replace(/ /g, '[\\x20\\t]+'), 'g');
}

/** Reflexive pronouns, "my self"/"myself" spelled either way: subject is read from the word. */
export const REFL = String.raw`(?:my|her|him|them|your|our) ?sel(?:f|ves)`;
/** Possessives that say whose life it is. */
export const POSS = String.raw`(?:my|her|his|their|your)`;
/** Suicide, including common misspellings, leetspeak and algospeak ("sewer slide", "self-delete"). */
export const SUICIDE = String.raw`(?:su+i?[cs]+i?d+e|su1c1de|s[*]icide|sui[*]ide|suic[*]de|sewer ?slide|self(?:-| )?delet(?:e|ion|ing))`;
/** Pills and the like, for overdose wording. */
export const PILLS = String.raw`(?:pills|tablets|meds|medication|medicine|painkillers|sleeping pills|tylenol|paracetamol|xanax|insulin)`;
/** A first-person subject (contracted or not, with or without the apostrophe). */
export const I_AM = String.raw`(?:i'm|im|i am)`;

/** Lower-case, map curly quotes to ', map odd spaces to ' '; keeps length so offsets stay valid. */
export function normalise(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\u2019' || c === '\u2018' || c === '\u02bc' || c === '`' || c === '\u00b4') {
      out += "'";
    } else if (c === '\u00a0' || c === '\u2007' || c === '\u202f' || c === '\t') {
      out += ' ';
    } else {
      const lower = c.toLowerCase();
      out += lower.length === 1 ? lower : c;
    }
  }
  return out;
}
