import { FeedbackInputError, type GuidelineProfile, type GuidelineProfileId, type Threshold } from './types';

/**
 * Guideline profiles: the numbers behind the feedback, as versioned data with a source on every value.
 * Change a number or a source → bump that profile's `version` (stored results carry it).
 *
 * Salt and sodium: salt = sodium x 2.5 (EU Regulation 1169/2011, Annex I), so 1.8 g salt = 720 mg sodium and
 * 6 g salt = 2,400 mg sodium.
 */

const t = (value: number, unit: string, source: string): Threshold => ({ value, unit, source });

// Shared sources, written once so every profile cites them identically.
const SRC = {
  labelReference2000:
    'Reference 2,000 kcal/day diet used for food labelling (FDA 21 CFR 101.9; EU Regulation 1169/2011 Annex XIII reference intake 8,400 kJ/2,000 kcal)',
  fdaDv: 'FDA Daily Values, 21 CFR 101.9(c) (2016 Nutrition Facts rule)',
  iomProtein: 'IOM Dietary Reference Intakes (2005): protein RDA 0.8 g/kg body weight/day for adults',
  iomFiber: 'IOM Dietary Reference Intakes (2005) and DGA 2020-2025: 14 g fibre per 1,000 kcal',
  whoSodium: 'WHO (2012) Guideline: Sodium intake for adults and children: < 2,000 mg sodium/day (5 g salt)',
  whoSatfat: 'WHO (2023) Saturated fatty acid and trans-fatty acid intake for adults and children: < 10 % of energy',
  whoSugar: 'WHO (2015) Guideline: Sugars intake for adults and children: free sugars < 10 % of energy',
  whoFiber:
    'WHO (2023) Carbohydrate intake for adults and children: at least 25 g naturally occurring dietary fibre/day',
  dgaSodium:
    'DGA 2020-2025 and FDA Daily Value: < 2,300 mg sodium/day (NASEM 2019 Chronic Disease Risk Reduction intake)',
  dgaSatfat: 'DGA 2020-2025: saturated fat < 10 % of calories/day from age 2',
  dgaSugar: 'DGA 2020-2025: added sugars < 10 % of calories/day from age 2',
  dgaFiberMin: 'WHO (2023) / EFSA (2010): at least 25 g fibre/day for adults, used as a floor under 14 g/1,000 kcal',
  dgaAddedSugarMeal: 'DGA 2025-2030: no more than 10 g added sugars per meal',
  fdaPctDv:
    'FDA, "How to Understand and Use the Nutrition Facts Label": 5 % DV or less is low, 20 % DV or more is high',
  ukFop:
    'FSA/DH (2016) Guide to creating a front of pack nutrition label: "high" (red) per portion is > 30 % of the adult reference intake',
  ukSalt: 'SACN (2003) Salt and Health: adults no more than 6 g salt/day (2,400 mg sodium)',
  ukSatfat: 'SACN (2019) Saturated fats and health: saturated fat no more than about 10 % of dietary energy',
  ukSugar: 'SACN (2015) Carbohydrates and Health: free sugars no more than 5 % of dietary energy',
  ukFiber: 'SACN (2015) Carbohydrates and Health: adults 30 g fibre/day (AOAC method)',
} as const;

const who: GuidelineProfile = {
  id: 'who',
  name: 'World Health Organization guidelines',
  version: 'who-1.0.0',
  description: 'WHO population guidelines for adults: sodium, saturated fat, free sugars and fibre.',
  daily: {
    referenceKcal: t(2000, 'kcal/day', SRC.labelReference2000),
    referenceProteinG: t(50, 'g/day', `${SRC.fdaDv}: protein 50 g (10 % of 2,000 kcal)`),
    // WHO/FAO/UNU (2007) gives 0.83 g/kg as the safe level; 0.8 g/kg (IOM) is used for every profile so that
    // only deliberate differences (sodium, sugar, fibre) vary between profiles.
    proteinGPerKg: t(0.8, 'g/kg/day', SRC.iomProtein),
    sodiumMaxMg: t(2000, 'mg/day', SRC.whoSodium),
    satfatMaxPctEnergy: t(10, '% energy', SRC.whoSatfat),
    sugarMaxPctEnergy: t(10, '% energy', SRC.whoSugar),
    fiberGPer1000Kcal: t(14, 'g/1,000 kcal', SRC.iomFiber),
    fiberMinG: t(25, 'g/day', SRC.whoFiber),
  },
};

const usDga: GuidelineProfile = {
  id: 'us-dga',
  name: 'US Dietary Guidelines 2020-2025 and FDA Daily Values',
  version: 'us-dga-1.0.0',
  description:
    'Dietary Guidelines for Americans 2020-2025 daily limits, FDA Daily Values with the 5 %/20 % DV rule, and the DGA 2025-2030 per-meal added sugar limit.',
  daily: {
    referenceKcal: t(2000, 'kcal/day', SRC.labelReference2000),
    referenceProteinG: t(50, 'g/day', `${SRC.fdaDv}: protein 50 g`),
    proteinGPerKg: t(0.8, 'g/kg/day', SRC.iomProtein),
    sodiumMaxMg: t(2300, 'mg/day', SRC.dgaSodium),
    satfatMaxPctEnergy: t(10, '% energy', SRC.dgaSatfat),
    sugarMaxPctEnergy: t(10, '% energy', SRC.dgaSugar),
    fiberGPer1000Kcal: t(14, 'g/1,000 kcal', SRC.iomFiber),
    fiberMinG: t(25, 'g/day', SRC.dgaFiberMin),
  },
  dailyValues: {
    sodium_mg: t(2300, 'mg', `${SRC.fdaDv}: sodium 2,300 mg`),
    satfat_g: t(20, 'g', `${SRC.fdaDv}: saturated fat 20 g`),
    fiber_g: t(28, 'g', `${SRC.fdaDv}: dietary fiber 28 g`),
    highPct: t(20, '% DV', SRC.fdaPctDv),
    lowPct: t(5, '% DV', SRC.fdaPctDv),
  },
  addedSugarPerMealMaxG: t(10, 'g/meal', SRC.dgaAddedSugarMeal),
};

const ukFop: GuidelineProfile = {
  id: 'uk-fop',
  name: 'UK front-of-pack labelling and SACN advice',
  version: 'uk-fop-1.0.0',
  description:
    'UK FSA front-of-pack "high" (red) per-portion marks, with SACN daily advice for salt, saturated fat, free sugars and fibre.',
  daily: {
    referenceKcal: t(2000, 'kcal/day', SRC.labelReference2000),
    referenceProteinG: t(50, 'g/day', 'EU Regulation 1169/2011 Annex XIII reference intake: protein 50 g'),
    proteinGPerKg: t(0.8, 'g/kg/day', SRC.iomProtein),
    sodiumMaxMg: t(2400, 'mg/day', SRC.ukSalt),
    satfatMaxPctEnergy: t(10, '% energy', SRC.ukSatfat),
    // SACN's free sugars advice is 5 % of energy (stricter than WHO's 10 %); kept as the UK's own number.
    sugarMaxPctEnergy: t(5, '% energy', SRC.ukSugar),
    fiberGPer1000Kcal: t(14, 'g/1,000 kcal', SRC.iomFiber),
    fiberMinG: t(30, 'g/day', SRC.ukFiber),
  },
  // 30 % of the reference intakes (fat 70 g, saturates 20 g, sugars 90 g, salt 6 g), applied to portions.
  portionHigh: {
    fat_g: t(21, 'g/portion', `${SRC.ukFop}: fat > 21 g`),
    satfat_g: t(6, 'g/portion', `${SRC.ukFop}: saturates > 6 g`),
    sugar_g: t(27, 'g/portion', `${SRC.ukFop}: sugars > 27 g`),
    sodium_mg: t(720, 'mg/portion', `${SRC.ukFop}: salt > 1.8 g (720 mg sodium)`),
  },
};

export const GUIDELINE_PROFILES: Readonly<Record<GuidelineProfileId, GuidelineProfile>> = deepFreeze({
  who,
  'us-dga': usDga,
  'uk-fop': ukFop,
});

/** WHO is the default: it is international and its sodium limit is the strictest of the three. */
export const DEFAULT_PROFILE_ID: GuidelineProfileId = 'who';

export const profileIds: readonly GuidelineProfileId[] = Object.freeze(['who', 'us-dga', 'uk-fop'] as const);

export function isGuidelineProfileId(id: unknown): id is GuidelineProfileId {
  return typeof id === 'string' && (profileIds as readonly string[]).includes(id);
}

export function getGuidelineProfile(id: GuidelineProfileId | string = DEFAULT_PROFILE_ID): GuidelineProfile {
  if (!isGuidelineProfileId(id)) {
    throw new FeedbackInputError([
      {
        field: 'guidelineProfileId',
        message: `unknown guideline profile "${id}"; use one of ${profileIds.join(', ')}`,
      },
    ]);
  }
  return GUIDELINE_PROFILES[id];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
