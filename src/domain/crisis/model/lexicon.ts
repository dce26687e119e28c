import { NEGATION_CUES, SELF_SUBJECTS, THIRD_SUBJECTS } from '../rules-context';

/**
 * Concept classes for the learned signal's features (features.ts): a word in a class also emits the class
 * ("took 40 sertraline" and "swallowed thirty paracetamol" share `ingest qty drug`), so the model learns from a
 * few hundred entries what holds for a whole family of words it may never have seen in training. Classes name
 * meanings from the labelling guide (means, acts, timing, goodbyes, recovery), not tiers: the weights are
 * learned. The word lists are written from the guide and general knowledge, not from corpus errors; the
 * subject and negation words are the rules' own (rules-context-*.ts), so both signals read them the same way.
 */
/** Class → its words (space-separated to keep the lists readable). */
const CLASSES: Record<string, string> = {
  drug:
    'pills pill tablets tablet meds med medication medicine medicines painkillers paracetamol ' +
    'acetaminophen tylenol ibuprofen aspirin codeine cocodamol tramadol oxy oxycodone oxycontin morphine ' +
    'fentanyl heroin methadone xanax valium diazepam lorazepam zopiclone benzos sertraline citalopram ' +
    'fluoxetine prozac mirtazapine amitriptyline venlafaxine lithium quetiapine olanzapine insulin ' +
    'antidepressants sleeping nytol capsules blister packets packet bottle vodka',
  ingest: "took taken take taking swallowed swallow downed popped necked overdose overdosed od od'd odd",
  qty:
    'all every whole entire lot handful box boxes dozen ten twelve fifteen twenty thirty forty fifty ' +
    'sixty hundred double triple enough',
  means:
    'rope noose belt cord ligature knife knives blade blades razor razors gun pistol rifle shotgun ' +
    'firearm bullet bullets trigger loaded bridge ledge roof rooftop cliff edge tracks railway platform ' +
    'motorway overpass balcony garage engine exhaust hose charcoal bleach cable beam stool chair jump ' +
    'jumping hang hanging drown water river sea train car',
  injury:
    'cut cuts cutting slit sliced burn burned burnt burning burns scratch scratched scratching bleeding ' +
    'bleed blood bled stitches wrist wrists arm arms thigh thighs scar scars hurt hurting harm harming sh ' +
    'bruises punched hitting lighter',
  now:
    'now rn tonight tonite 2nite currently already minutes mins hour hours ago here right tomorrow tmrw ' +
    'tmr today soon weekend midnight monday tuesday wednesday thursday friday saturday sunday date time ' +
    'when after',
  farewell:
    'goodbye bye sorry forgive note letter farewell last final love gave giving away will affairs ' +
    'passwords instructions cat dog look after',
  death:
    'die died dead death dying suicide suicidal kill killing end ending unalive kms ctb gone disappear ' +
    'exist existing wake waking alive live living life over done finish through peace sleep forever ' +
    'accident',
  recovery:
    'recovered recovery recovering well better proud free clean anniversary years steady stable grateful ' +
    'survived survivor therapy therapist counsellor counselor support helped discharged okay fine good ' +
    'safe happy celebrate celebrated',
  report:
    'news article film movie book novel character episode series documentary song lyrics podcast story ' +
    'poem chapter game reported headline play',
  laugh: 'lol lmao lmfao haha hahaha jk rofl 😂 🤣 💀 😭',
  hyper: 'literally actually so sooo omg ugh exam homework work boss wifi',
};

const THIRD_EXTRA = ['someone', 'people', 'man', 'woman', 'boy', 'girl', 'nurse', 'doctor'];

/** Word → its concept classes. */
export const CONCEPTS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  const add = (word: string, cls: string) => map.set(word, [...(map.get(word) ?? []), cls]);
  for (const [cls, ws] of Object.entries(CLASSES)) for (const w of ws.split(' ')) add(w, cls);
  for (const w of NEGATION_CUES) add(w, 'neg');
  for (const w of SELF_SUBJECTS) add(w, 'self');
  add('my', 'self');
  for (const w of [...THIRD_SUBJECTS, ...THIRD_EXTRA]) add(w, 'third');
  for (const w of ['was', 'were', 'had', 'used', 'ago', 'once', 'back', 'then', 'years']) add(w, 'past');
  return map;
})();

/** A number written in digits ("30", "2x") counts as a quantity. */
export function conceptsOf(word: string): readonly string[] {
  const c = CONCEPTS.get(word) ?? [];
  return /^\d/.test(word) ? [...c, 'qty'] : c;
}
