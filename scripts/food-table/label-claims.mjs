// Global, deterministic label resolution: which candidate food keeps each readable name, and which food owns each
// label people might type. A curated label always wins; otherwise the strongest claim (the food's priority, less
// for each modifier the label leaves out) owns the label; ties go to the lower NDB number.
import { labelKeyFor, tidy } from './labels.mjs';

/**
 * Resolves the labels of `candidates` (from `selectCandidates`): returns the `chosen` foods (names made unique;
 * a derived name that collides with a curated label is renamed in place) and `aliasesOf`, each chosen food's
 * aliases (unsorted, may repeat). `render` is `readableNames(rules).render`.
 */
export function resolveLabels(candidates, { rules, render }) {
  const SPELLING = rules.spelling; // British/variant → the spelling used in keys
  const labelKey = labelKeyFor(SPELLING);
  const better = (a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.d.ndb < b.d.ndb);

  // Near-duplicates (same readable name after dropping grades, trims, salt...) keep only the most default one.
  const byName = new Map();
  for (const c of candidates) {
    const key = labelKey(c.name);
    const other = byName.get(key);
    if (!other || better(c, other)) byName.set(key, c);
    if (other && other.curated && c.curated && other !== c) throw new Error(`curated name "${c.name}" is used twice`);
  }
  const chosen = [...byName.values()];
  // A curated label outranks a derived name: the derived food keeps a longer, still unique name from its Long_Desc.
  const curatedKeys = new Map();
  for (const c of chosen.filter((x) => x.curated)) {
    for (const label of [c.curated.name, ...c.curated.aliases]) {
      const owner = curatedKeys.get(labelKey(label));
      if (owner && owner !== c) throw new Error(`curated label "${label}" is used by ${owner.d.ndb} and ${c.d.ndb}`);
      curatedKeys.set(labelKey(label), c);
    }
  }
  const takenNames = new Set(chosen.map((c) => labelKey(c.name)));
  for (const c of chosen) {
    if (c.curated || !curatedKeys.has(labelKey(c.name))) continue;
    let name = tidy(c.d.longDesc.replace(/,/g, ' '));
    if (takenNames.has(labelKey(name))) name = `${name} ${c.d.ndb}`;
    takenNames.add(labelKey(name));
    c.name = name;
  }

  // Every label people might type, with a claim strength; the strongest claim owns the label.
  const claims = new Map();
  const claim = (label, c, strength) => {
    const key = labelKey(label);
    if (!key || key.length < 2) return;
    const prev = claims.get(key);
    if (!prev || strength > prev.strength || (strength === prev.strength && c.d.ndb < prev.c.d.ndb))
      claims.set(key, { c, strength, label: tidy(label) });
  };
  for (const c of chosen) claim(c.name, c, 2e9); // a name always belongs to its own food
  for (const c of chosen) {
    if (c.curated) for (const a of c.curated.aliases) claim(a, c, 1e9);
    const { info, d } = c;
    for (let k = 0; k <= info.mods.length; k++) {
      const omitted = info.mods.length - k;
      for (const withMethod of [true, false]) {
        claim(render(info, d.group, k, withMethod), c, c.priority - 5 * omitted - (withMethod ? 0 : 1));
      }
    }
    if (info.brand) claim(`${info.brand} ${render(info, d.group, info.mods.length, false)}`, c, c.priority);
    for (const common of (d.comName || '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !/recipe|commodity/i.test(s))) {
      claim(common, c, c.priority - 4);
    }
  }
  const aliasesOf = new Map(chosen.map((c) => [c, []]));
  for (const { c, label } of claims.values()) if (labelKey(label) !== labelKey(c.name)) aliasesOf.get(c).push(label);
  // Spelling variants (yoghurt, fibre, doughnut...) are written out too, for readers of the JSON.
  for (const [c, list] of aliasesOf) {
    for (const label of [c.name, ...list]) {
      const words = label.split(' ');
      for (const variant of rules.spellingShown) {
        const canonical = SPELLING[variant];
        if (words.includes(canonical)) list.push(words.map((w) => (w === canonical ? variant : w)).join(' '));
      }
    }
  }
  return { chosen, aliasesOf };
}
