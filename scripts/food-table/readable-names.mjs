// Rewrites a USDA Long_Desc into a readable name: `describe` splits it into brand, head noun, modifiers and
// cooking method; `render` puts some of them back together in the order people say them
// ("Chicken, broilers or fryers, breast, meat only, cooked, roasted" → "roasted chicken breast").
import { MEAT_GROUPS, RAW_DEFAULT } from './food-groups.mjs';
import { singular, tidy } from './labels.mjs';

const PREFIX =
  /^(?:beverages|alcoholic beverages?|snacks?|nuts|seeds|fast foods?|side dishes|candies|formulated bar|cereals ready-to-eat|cereals|restaurant, (?:chinese|italian|mexican|latino|family style)|fast food, pizza chain|fish|crustaceans|mollusks|spices|game meat|lamb, (?:domestic|new zealand, imported)|veal|pork, fresh|pork, cured|beef, variety meats and by-products|pork, fresh, variety meats and by-products),\s*/i;

const isCaps = (t) => /[A-Z]/.test(t) && !/[a-z]/.test(t.replace(/^Mc/, '')) && t.replace(/[^A-Za-z]/g, '').length >= 2;

/** `describe` and `render` for the word rules of data/food-rules.json (`noise`, `methods`, `keepPlural`). */
export function readableNames(rules) {
  const NOISE = new RegExp(`^(?:${rules.noise.join('|')})$`, 'i');
  const METHODS = rules.methods; // part → method word shown in the name

  /** Splits a Long_Desc into brand, head noun, modifiers and method; counts dropped qualifiers. */
  function describe(d) {
    let desc = d.longDesc
      .replace(/\s*\([^)]*\)/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    const prefixed = PREFIX.exec(desc);
    let prefix = '';
    if (prefixed) {
      prefix = prefixed[0];
      desc = desc.slice(prefix.length);
    }
    let parts = desc.split(/\s*[,;]\s*/).filter(Boolean);
    let brand = '';
    const firstTokens = (parts[0] ?? '').split(' ');
    let caps = 0;
    while (caps < firstTokens.length && isCaps(firstTokens[caps])) caps++;
    if (caps > 0 && (caps < firstTokens.length || parts.length > 1)) {
      brand = firstTokens.slice(0, caps).join(' ');
      const rest = firstTokens.slice(caps).join(' ');
      parts = rest ? [rest, ...parts.slice(1)] : parts.slice(1);
    }
    if (d.manufacturer && !brand) brand = d.manufacturer;
    const brandRoot = brand.toLowerCase().replace(/'s$/, '').split(' ')[0];
    parts = parts
      .map((p) => p.toLowerCase().replace(/["]/g, '').replace(/\s+/g, ' ').trim())
      .map((p) =>
        brandRoot
          ? p
              .split(' ')
              .filter((w) => !w.startsWith(brandRoot))
              .join(' ')
          : p,
      )
      .filter(Boolean);
    const head = parts.shift() ?? '';
    const mods = [];
    let method = '';
    let dropped = 0;
    for (const raw of parts) {
      const p = raw === 'meat and skin' ? 'with skin' : raw;
      const first = p.split(' ')[0];
      const m = METHODS[p] ?? (p.length > 14 ? undefined : METHODS[first]);
      if (m !== undefined) {
        if (m) method = method && m === 'cooked' ? method : m;
        continue;
      }
      if (NOISE.test(p) || p.split(' ').length > 4) {
        dropped++;
        continue;
      }
      if (!mods.includes(p)) mods.push(p);
    }
    return { brand: brand.toLowerCase(), prefix: prefix.toLowerCase(), head, mods, method, dropped };
  }

  /** Renders a label from the head, the first `k` modifiers and an optional method word. */
  function render(info, group, k, withMethod) {
    const mods = info.mods.slice(0, k);
    const method =
      withMethod && info.method && !(info.method === 'raw' && RAW_DEFAULT.has(group)) ? `${info.method} ` : '';
    // Names read in the singular ("banana"), except mass nouns people say in the plural ("black beans", "oats").
    const head = info.head
      .split(' ')
      .map((w, i, a) => (i === a.length - 1 && !rules.keepPlural.includes(w) ? singular(w) : w))
      .join(' ');
    let text;
    if (MEAT_GROUPS.has(group)) {
      // "Chicken, breast" → "chicken breast": meat cuts read in USDA order after the animal.
      const pre = mods.filter((m) => m === 'ground');
      const post = mods.filter((m) => m !== 'ground');
      const skin = post.filter((m) => m === 'with skin');
      text = [...pre, head, ...post.filter((m) => m !== 'with skin'), ...skin].join(' ');
    } else {
      // "Beans, kidney, red" → "red kidney beans": other modifiers are adjectives, most specific last; phrases
      // such as "with cheese" or "in tortilla" stay after the head in USDA order.
      const phrase = (m) =>
        /^(?:with|without|in|on|and|or|from|packed|topped|filled|no|plus|made|w\/)\b/.test(m) ||
        m.split(' ').length > 2;
      text = [...mods.filter((m) => !phrase(m)).reverse(), head, ...mods.filter(phrase)].join(' ');
    }
    return tidy(`${method}${text}`);
  }

  return { describe, render };
}
