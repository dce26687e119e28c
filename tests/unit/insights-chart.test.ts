import { describe, it, expect } from 'vitest';
import { computeWeeklyInsight, escapeXml, renderWeeklyChartSvg } from '../../src/domain/insights';
import { cola, fixture, input, meal, targets } from '../support/insight-fixtures';

/** A small XML well-formedness check: balanced tags, one root, quoted unique attributes, no raw '<' or stray '&'. */
function xmlErrors(xml: string): string[] {
  const errors: string[] = [];
  const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const checkText = (t: string, where: string) => {
    if (t.includes('<') || t.includes('>')) errors.push(`raw < or > in ${where}: ${t.slice(0, 40)}`);
    if (badAmp.test(t)) errors.push(`unescaped & in ${where}: ${t.slice(0, 40)}`);
  };
  const tagRe =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  for (const m of xml.matchAll(tagRe)) {
    const text = xml.slice(last, m.index);
    if (stack.length === 0 && text.trim() !== '') errors.push(`text outside the root: ${text.trim().slice(0, 40)}`);
    checkText(text, 'text');
    last = (m.index ?? 0) + m[0].length;
    if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue;
    const [, close, name = '', attrs = '', self] = m;
    if (close) {
      if (attrs.trim() || self) errors.push(`bad end tag </${name}>`);
      const open = stack.pop();
      if (open !== name) errors.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const seen = new Set<string>();
    for (const a of attrs.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (seen.has(a[1] ?? '')) errors.push(`duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1] ?? '');
      checkText(a[2] ?? a[3] ?? '', `attribute ${a[1]}`);
    }
    if (stack.length === 0) roots++;
    if (!self) stack.push(name);
  }
  const tail = xml.slice(last);
  if (tail.trim() !== '') errors.push(`trailing or unparsable text: ${tail.trim().slice(0, 40)}`);
  if (stack.length > 0) errors.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) errors.push(`expected one root element, found ${roots}`);
  return errors;
}

describe('xmlErrors (the test helper itself)', () => {
  it('accepts well-formed XML and rejects broken XML', () => {
    expect(xmlErrors('<a x="1"><b/><c>t &amp; u</c></a>')).toEqual([]);
    expect(xmlErrors('<a><b></a>')).not.toEqual([]);
    expect(xmlErrors('<a>x & y</a>')).not.toEqual([]);
    expect(xmlErrors('<a>x < y</a>')).not.toEqual([]);
    expect(xmlErrors('<a x=1></a>')).not.toEqual([]);
    expect(xmlErrors('<a x="1" x="2"></a>')).not.toEqual([]);
    expect(xmlErrors('<a></a><b></b>')).not.toEqual([]);
    expect(xmlErrors('<a>')).not.toEqual([]);
  });
});

describe('renderWeeklyChartSvg', () => {
  const w = computeWeeklyInsight(input(fixture().meals));
  const svg = renderWeeklyChartSvg(w, { title: 'Week <&> "one"' });

  it('is a well-formed standalone SVG with xmlns, viewBox, width and height', () => {
    expect(xmlErrors(svg)).toEqual([]);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="420" viewBox="0 0 640 420"/,
    );
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('has 7 bars, day labels, kcal ticks, axis labels, a target line and a title', () => {
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(7);
    const xTicks = [...svg.matchAll(/<text class="x-tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(xTicks).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    const yTicks = [...svg.matchAll(/<text class="y-tick"[^>]*>([^<]*)<\/text>/g)].map((m) =>
      Number(m[1]?.replace(/,/g, '')),
    );
    expect(yTicks[0]).toBe(0);
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(Math.max(targets.kcal, ...w.days.map((d) => d.totals.kcal)));
    expect(svg).toContain('kcal per day');
    expect(svg).toContain('Day of week');
    expect(svg).toContain('class="target-line"');
    expect(svg).toContain('Estimated need 2,000 kcal');
    expect(svg).toContain('<title id="chart-title">Week &lt;&amp;&gt; &quot;one&quot;</title>');
  });

  it('bar heights follow daily energy', () => {
    const heights = [...svg.matchAll(/<rect class="bar"[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[3]).toBe(0);
    expect(heights[6]).toBe(0);
    const monday = w.days[0]!.totals.kcal;
    const tuesday = w.days[1]!.totals.kcal;
    expect((heights[0] ?? 0) / (heights[1] ?? 1)).toBeCloseTo(monday / tuesday, 2);
  });

  it('shows the macro energy split with labels', () => {
    expect(svg.match(/<rect class="macro-seg"/g)).toHaveLength(3);
    const labels = [...svg.matchAll(/<text class="macro-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    expect(labels.map((l) => l.replace(/ \d+ %$/, ''))).toEqual(['Protein', 'Fat', 'Carbohydrate']);
    const pct = labels.map((l) => Number(/(\d+) %$/.exec(l)?.[1]));
    expect(pct.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(99);
    expect(pct.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(101);
  });

  it('escapes item names and has no scripts or external resources', () => {
    const colaWeek = computeWeeklyInsight(input([meal('c', '2026-03-25T12:00:00Z', 'snack', [cola()])]));
    const out = renderWeeklyChartSvg(colaWeek);
    expect(xmlErrors(out)).toEqual([]);
    expect(out).toContain('Cola &lt;&amp;&gt; &quot;zero&quot;');
    expect(out).not.toContain('<&>');
    for (const s of [svg, out]) {
      expect(s).not.toMatch(/<script|href=|xlink|url\(|<image|<foreignObject|\bon[a-z]+=/i);
      expect(s.match(/https?:\/\//g)).toEqual(['http://']); // only the SVG namespace
    }
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('renders an empty week and is deterministic', () => {
    const empty = renderWeeklyChartSvg(computeWeeklyInsight(input([])));
    expect(xmlErrors(empty)).toEqual([]);
    expect(empty.match(/<rect class="bar"/g)).toHaveLength(7);
    expect(empty).toContain('No meals logged');
    expect(empty).not.toContain('target-line'); // no averages, so no target known...
    expect(renderWeeklyChartSvg(computeWeeklyInsight(input([])), { targetKcal: 1800 })).toContain(
      'Estimated need 1,800 kcal',
    );
    expect(renderWeeklyChartSvg(w, { title: 'Week <&> "one"' })).toBe(svg);
  });
});
