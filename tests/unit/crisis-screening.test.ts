import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  maxTier,
  normalise,
  RISK_RULES,
  RULE_VERSION,
  screenText,
  tierAtLeast,
  TIERS,
  type Tier,
} from '../../src/domain/crisis';
import { CORPUS, type CorpusGroup } from '../fixtures/crisis-corpus';

const GROUPS: CorpusGroup[] = ['explicit', 'implicit', 'slang', 'idiom', 'negation', 'third_party', 'mixed', 'benign'];
const results = CORPUS.map((c) => ({ c, r: screenText(c.text) }));
const exact = ({ c, r }: (typeof results)[number]) =>
  r.tier === c.tier && (c.thirdParty === undefined || r.thirdParty === c.thirdParty);
const pct = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);
const describeMiss = ({ c, r }: (typeof results)[number]) =>
  `[${c.group}] "${c.text}" want ${c.tier} got ${r.tier} (thirdParty ${r.thirdParty})`;

describe('tiers', () => {
  it('are ordered and compared by urgency', () => {
    expect(TIERS).toEqual(['none', 'low', 'moderate', 'high', 'imminent']);
    expect(maxTier('low', 'high')).toBe('high');
    expect(maxTier('imminent', 'none')).toBe('imminent');
    expect(tierAtLeast('high', 'moderate')).toBe(true);
    expect(tierAtLeast('low', 'moderate')).toBe(false);
    expect(tierAtLeast('moderate', 'moderate')).toBe(true);
  });
});

describe('the labelled corpus', () => {
  it('has at least 150 texts across every group', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    for (const g of GROUPS) expect(CORPUS.filter((c) => c.group === g).length, g).toBeGreaterThanOrEqual(10);
  });

  it('matches the labels exactly for at least 90 % (accuracy per group printed)', () => {
    const rows = GROUPS.map((g) => {
      const rs = results.filter((x) => x.c.group === g);
      const ok = rs.filter(exact).length;
      return { group: g, texts: rs.length, exact: ok, accuracy: `${pct(ok, rs.length).toFixed(1)} %` };
    });
    const ok = results.filter(exact).length;
    rows.push({
      group: 'ALL' as CorpusGroup,
      texts: results.length,
      exact: ok,
      accuracy: `${pct(ok, results.length).toFixed(1)} %`,
    });
    console.log(`crisis screener ${RULE_VERSION}: exact-match accuracy per group`);
    console.table(rows);
    const misses = results.filter((x) => !exact(x)).map(describeMiss);
    if (misses.length > 0) console.log(`misses (${misses.length}):\n  ${misses.join('\n  ')}`);
    expect(pct(ok, results.length)).toBeGreaterThanOrEqual(90);
  });

  it('reaches at least the labelled tier for every high and imminent text', () => {
    const urgent = results.filter(({ c }) => tierAtLeast(c.tier, 'high'));
    expect(urgent.length).toBeGreaterThanOrEqual(30);
    const under = urgent.filter(({ c, r }) => !tierAtLeast(r.tier, c.tier)).map(describeMiss);
    expect(under).toEqual([]);
  });

  it('has a false-positive rate of at most 5 % on idiom and hyperbole (printed)', () => {
    const idioms = results.filter(({ c }) => c.group === 'idiom');
    const benign = results.filter(({ c }) => c.group === 'benign');
    expect(idioms.every(({ c }) => c.tier === 'none')).toBe(true);
    const fp = idioms.filter(({ r }) => r.tier !== 'none' || r.thirdParty);
    const fpBenign = benign.filter(({ r }) => r.tier !== 'none' || r.thirdParty);
    console.table([
      {
        set: 'idiom/hyperbole',
        texts: idioms.length,
        flagged: fp.length,
        falsePositiveRate: `${pct(fp.length, idioms.length).toFixed(1)} %`,
      },
      {
        set: 'benign everyday',
        texts: benign.length,
        flagged: fpBenign.length,
        falsePositiveRate: `${pct(fpBenign.length, benign.length).toFixed(1)} %`,
      },
    ]);
    expect(pct(fp.length, idioms.length), fp.map(describeMiss).join('\n')).toBeLessThanOrEqual(5);
  });

  it('flags third-party reports with a support script and without the author tier', () => {
    for (const { c, r } of results.filter(({ c }) => c.thirdParty !== undefined)) {
      expect(r.thirdParty, c.text).toBe(c.thirdParty);
      if (c.thirdParty) {
        expect(r.supportScript, c.text).toContain('988');
        expect(r.thirdPartyTier, c.text).not.toBe('none');
      } else {
        expect(r.supportScript, c.text).toBeUndefined();
      }
    }
  });
});

describe('auditability', () => {
  it('stamps every result with the rule version', () => {
    expect(RULE_VERSION).toMatch(/^crisis-rules-\d+\.\d+\.\d+$/);
    for (const { r } of results) expect(r.ruleVersion).toBe(RULE_VERSION);
  });

  it('is deterministic: same input, same output, no state between calls', () => {
    const again = CORPUS.map((c) => screenText(c.text));
    const reversed = [...CORPUS]
      .reverse()
      .map((c) => screenText(c.text))
      .reverse();
    expect(again).toEqual(results.map((x) => x.r));
    expect(reversed).toEqual(results.map((x) => x.r));
    expect(JSON.stringify(screenText(CORPUS[1]!.text))).toBe(JSON.stringify(screenText(CORPUS[1]!.text)));
  });

  it('uses stable dotted rule ids, unique across the risk table', () => {
    const ids = RISK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { r } of results) for (const m of r.matched) expect(m.rule).toMatch(/^[a-z_]+\.[a-z0-9_]+$/);
  });

  it('gives spans that point at the matched words in the original text', () => {
    const text = 'Ugh.  I’m going to KILL MYSELF tonight lol';
    const r = screenText(text);
    const at = (rule: string) =>
      r.matched.filter((m) => m.rule === rule).map((m) => text.slice(m.span.start, m.span.end));
    expect(at('ideation.kill_self')).toEqual(['KILL MYSELF']);
    expect(at('intent.strong')).toEqual(['I’m going to KILL MYSELF']);
    expect(at('timing.tonight')).toEqual(['tonight']);
    expect(at('hyperbole.laughter')).toEqual(['lol']);
    expect(at('intent.timing')).toEqual(['I’m going to KILL MYSELF tonight']);
    const emoji = '😂😂 killed it today, but I want to die';
    expect(
      screenText(emoji)
        .matched.filter((m) => m.rule === 'ideation.want_to_die')
        .map((m) => emoji.slice(m.span.start, m.span.end)),
    ).toEqual(['want to die']);
  });

  it('every risk span, re-read from the original text, is matched by its own rule', () => {
    const byId = new Map(RISK_RULES.map((r) => [r.id, r]));
    for (const { c, r } of results) {
      for (const m of r.matched) {
        expect(m.span.start).toBeGreaterThanOrEqual(0);
        expect(m.span.end).toBeLessThanOrEqual(c.text.length);
        expect(m.span.end).toBeGreaterThan(m.span.start);
        const rule = byId.get(m.rule);
        if (!rule) continue;
        const whole = new RegExp(`^(?:${rule.pattern.source})$`);
        expect(whole.test(normalise(c.text.slice(m.span.start, m.span.end))), `${m.rule} on "${c.text}"`).toBe(true);
      }
    }
  });

  it('lists idioms it set aside so a reviewer can see why nothing fired', () => {
    const r = screenText('This workout killed me lol');
    expect(r.tier).toBe('none');
    expect(r.matched.map((m) => [m.rule, m.disposition])).toEqual([
      ['idiom.killing_me', 'context'],
      ['hyperbole.laughter', 'context'],
    ]);
  });
});

describe('hyperbole markers never lower true risk', () => {
  const MARKERS = [' lol', ' lmao', ' 😂', ' haha jk', ' 💀'];
  it('"lol" never dismisses "I\'m going to kill myself tonight lol"', () => {
    expect(screenText("I'm going to kill myself tonight lol").tier).toBe('high');
    expect(screenText("lol I'm going to kill myself tonight").tier).toBe('high');
    expect(screenText("I've taken the pills lmao").tier).toBe('imminent');
  });
  it('adding a laughter marker never lowers any moderate-or-above text of the corpus', () => {
    for (const { c, r } of results.filter(({ r }) => tierAtLeast(r.tier, 'moderate'))) {
      for (const mk of MARKERS) expect(tierAtLeast(screenText(c.text + mk).tier, r.tier), `${c.text}${mk}`).toBe(true);
      expect(tierAtLeast(screenText(`lol ${c.text}`).tier, r.tier), `lol ${c.text}`).toBe(true);
    }
  });
  it('lowers only hyperbole-prone phrases, and only when nothing else is risky', () => {
    expect(screenText('just kill me now').tier).toBe('low');
    expect(screenText('just kill me now lol').tier).toBe('none');
    expect(screenText('just kill me now lol, I want to die').tier).toBe('moderate');
    expect(screenText('I wish I was dead lol').tier).toBe('low');
  });
});

describe('negation', () => {
  const cases: [string, Tier][] = [
    ['I would never kill myself', 'none'],
    ["I'm not suicidal", 'none'],
    ['I no longer have thoughts of ending my life', 'none'],
    ["I don't want to die", 'none'],
    ["I'm not okay, I want to die", 'moderate'],
    ["I'm not okay and I want to die", 'moderate'],
    ["I don't know why I want to die", 'moderate'],
    ["I've never felt so hopeless", 'low'],
    ["I'm not suicidal but I want to die", 'moderate'],
    ["I'm not going to kill myself", 'low'],
    ['I used to want to die', 'low'],
    ['I attempted suicide two years ago', 'moderate'],
  ];
  it.each(cases)('"%s" → %s', (text, tier) => {
    expect(screenText(text).tier).toBe(tier);
  });
  it('keeps negated matches visible with their disposition', () => {
    const m = screenText('I would never kill myself').matched.find((x) => x.rule === 'ideation.kill_self');
    expect(m).toMatchObject({ disposition: 'negated', tier: 'none', ruleTier: 'moderate', subject: 'self' });
  });
});

describe('recovery and answered questions (crisis-rules-1.1.0)', () => {
  it('clears a past episode told as recovery, and only then', () => {
    expect(
      screenText('Ten years ago I tried to end my life. Today I ran my first marathon and I am doing well.').tier,
    ).toBe('none');
    expect(screenText('4 years self-harm free today, my therapist and I moved to monthly check-ins').tier).toBe('none');
    // Distress now keeps the past episode counted (guide: past attempt + current distress).
    expect(
      tierAtLeast(
        screenText('I tried to kill myself two years ago. I was doing well but the thoughts are back.').tier,
        'low',
      ),
    ).toBe(true);
    expect(screenText('I tried to kill myself last month and I still think about it.').tier).not.toBe('none');
  });

  it("reads a clinician's question answered no as a negation, never a cover story", () => {
    const answered = screenText(
      "The nurse asked whether I'd thought about ending my life. I told her honestly that I haven't.",
    );
    expect(answered.tier).toBe('none');
    expect(answered.matched.some((m) => m.disposition === 'negated')).toBe(true);
    const cover = screenText(
      'The counsellor asked if I was thinking of ending my life and I laughed and said no. I lied so she would stop.',
    );
    expect(tierAtLeast(cover.tier, 'moderate')).toBe(true);
  });
});

describe('recovery, negation and third parties (crisis-rules-1.2.0)', () => {
  it('reads ongoing support as recovery, not as distress now', () => {
    const told =
      'Four years ago today I tried to end my life. My safety plan is still in my phone and a psychologist I ' +
      'still trust is a text away. Today I mostly feel grateful.';
    expect(screenText(told).tier).toBe('none');
    expect(screenText('a year on from the overdose, doing really well, back at uni part time').tier).toBe('none');
    expect(screenText('used to burn myself when i was 15. im ok now').tier).toBe('none');
    expect(screenText('Two years since the night I planned to take my life. Things have been steady.').tier).toBe(
      'none',
    );
    // Distress now still keeps the episode counted, whatever support is in place.
    expect(
      screenText('Four years ago I tried to end my life. I still see my therapist but the urges are back.').tier,
    ).not.toBe('none');
    expect(screenText('a year on from the overdose and i still think about doing it again').tier).not.toBe('none');
  });

  it('reads long negating phrases and a question asked in other words', () => {
    expect(screenText("I'm alright: not a flicker of wanting to hurt myself, just busy.").tier).toBe('none');
    expect(screenText('Nothing in me wants to hurt myself; I am tired, that is all.').tier).toBe('none');
    expect(screenText('My doctor ask me if I have thoughts to kill myself. I say no, never.').tier).toBe('none');
    expect(screenText('I want to hurt myself and nothing in me wants to stop').tier).not.toBe('none');
  });

  it('reads patients, students and strangers as third parties', () => {
    const patient = screenText('One of my patients disclosed a plan to overdose this afternoon. Long day.');
    expect(patient.tier).toBe('none');
    expect(patient.thirdParty).toBe(true);
    expect(screenText('We admitted a young man following a paracetamol overdose.').tier).toBe('none');
    expect(screenText('One of my students wrote about wanting to die in her essay.').tier).toBe('none');
    expect(screenText('man i want to die').tier).not.toBe('none');
  });
});

describe('workflow sandbox', () => {
  it('imports nothing but its own relative files (no Node built-ins, no packages)', () => {
    const dir = path.resolve(__dirname, '..', '..', 'src', 'domain', 'crisis');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/\bfrom\s+'([^']+)'|\brequire\(\s*'([^']+)'\s*\)|\bimport\(\s*'([^']+)'\s*\)/g)) {
        expect(m[1] ?? m[2] ?? m[3], f).toMatch(/^\.\//);
      }
      expect(src, f).not.toMatch(/Date\.now|new Date|Math\.random|process\./);
    }
  });
});
