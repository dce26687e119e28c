// SR28 food group codes (FOOD_DES.txt FdGrp_Cd) and what they mean for selection, naming and categories.

export const EXCLUDED_GROUPS = new Set(['0300', '3500']); // baby foods; American Indian/Alaska Native foods
export const MEAT_GROUPS = new Set(['0500', '0700', '1000', '1300', '1700']);
/** Groups whose foods people mean cooked unless they say otherwise (meat, fish, grains, legumes, pasta). */
export const COOKED_DEFAULT = new Set(['0500', '0700', '1000', '1300', '1700', '1500', '1600', '2000']);
/** Groups whose foods people mean raw unless they say otherwise (fruit, vegetables, nuts and seeds). */
export const RAW_DEFAULT = new Set(['0900', '1100', '1200']);

/**
 * The table category of description `d` (`lower`: its Long_Desc in lower case). Mixed groups are split by
 * keyword; every other group maps through `groupCategory` (data/food-rules.json).
 */
export function category(d, lower, groupCategory) {
  const g = d.group;
  if (g === '0100') return /^egg/.test(lower) ? 'eggs' : 'dairy';
  if (g === '0900' || g === '1100')
    return /juice|nectar|drink|smoothie/.test(lower) ? 'drinks' : g === '0900' ? 'fruit' : 'vegetables';
  if (g === '1600') return /milk|beverage|drink/.test(lower) ? 'drinks' : 'legumes';
  if (g === '1800')
    return /cake|cookie|pie\b|pies\b|pastr|doughnut|brownie|danish|strudel|cream puff|eclair|sweet roll|cheesecake|cobbler|crisp|turnover/.test(
      lower,
    )
      ? 'sweets'
      : 'breads';
  if (g === '0600') return /^soup/.test(lower) ? 'soups' : 'sauces';
  if (g === '0400') return /dressing|sauce|mayonnaise|dip/.test(lower) ? 'sauces' : 'fats';
  return groupCategory[g];
}
