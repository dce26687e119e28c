import { fmtInt } from '../feedback/wording';
import type { Nutrients } from '../nutrition/types';
import type { WeeklyInsight } from './types';

/**
 * A standalone SVG of a weekly insight: daily energy bars against the target line, labelled axes, and the
 * week's protein/fat/carbohydrate energy split as a stacked bar. No scripts, no external resources, every text
 * escaped. Deterministic: the same insight gives the same bytes.
 */

export interface ChartOptions {
  width?: number;
  height?: number;
  /** Defaults to "Energy per day, week of YYYY-MM-DD". */
  title?: string;
  /** Daily energy target drawn as a line; defaults to vsTargets.kcal.target (no line when unknown). */
  targetKcal?: number;
  /** Show the top energy sources under the chart (default true). */
  showTopSources?: boolean;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values; drops control characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- removing these control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c)
  );
}

/** Coordinates with at most 2 decimals, so output is stable and compact. */
const num = (v: number) => String(Math.round(v * 100) / 100);

/** Share of energy (0..100) from protein, fat and carbohydrate with Atwater factors 4/9/4; null without energy. */
export function macroEnergyShares(n: Nutrients): { protein: number; fat: number; carb: number } | null {
  const p = n.protein_g * 4;
  const f = n.fat_g * 9;
  const c = n.carb_g * 4;
  const sum = p + f + c;
  if (!(sum > 0)) return null;
  return { protein: (p / sum) * 100, fat: (f / sum) * 100, carb: (c / sum) * 100 };
}

/** A 1/2/5 x 10^k step giving about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  return step ?? 10 * mag;
}

/** Plot area and kcal scale shared by every part of the chart. */
interface ChartLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  plotW: number;
  plotH: number;
  /** Tick spacing and top of the kcal axis. */
  step: number;
  yMax: number;
  /** Y coordinate of an energy value. */
  y: (kcal: number) => number;
}

interface MacroSegment {
  key: string;
  label: string;
  pct: number;
  fill: string;
}

export function renderWeeklyChartSvg(insight: WeeklyInsight, opts: ChartOptions = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 420;
  if (!(width >= 320 && height >= 300 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new RangeError('chart width must be >= 320 and height >= 300');
  }
  const title = opts.title ?? `Energy per day, week of ${insight.weekStart}`;
  const target = opts.targetKcal ?? insight.vsTargets?.kcal.target;
  const showTop = opts.showTopSources ?? true;
  const layout = chartLayout(insight, width, height, target);
  const out = [
    ...chartHeader(insight, layout, title, target),
    ...yAxis(layout),
    ...dayBars(insight, layout, target),
    ...targetLine(layout, target),
    ...macroSplit(insight, layout),
    ...(showTop ? topSources(insight, layout) : []),
    `</svg>`,
  ];
  return out.join('\n');
}

function chartLayout(insight: WeeklyInsight, width: number, height: number, target: number | undefined): ChartLayout {
  const left = 64;
  const right = width - 24;
  const top = 52;
  const bottom = height - 160;
  const plotW = right - left;
  const plotH = bottom - top;

  const maxDay = Math.max(0, ...insight.days.map((d) => d.totals.kcal));
  const step = niceStep(Math.max(maxDay, target ?? 0, 500) * 1.1, 4);
  const yMax = Math.ceil((Math.max(maxDay, target ?? 0, 500) * 1.05) / step) * step;
  const y = (kcal: number) => bottom - (kcal / yMax) * plotH;
  return { width, height, left, right, top, bottom, plotW, plotH, step, yMax, y };
}

/** The opening <svg> tag, accessible title and description, background and visible title. */
function chartHeader(insight: WeeklyInsight, l: ChartLayout, title: string, target: number | undefined): string[] {
  const { width, height } = l;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-labelledby="chart-title" font-family="sans-serif" font-size="12">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<desc>Daily energy in kcal for ${insight.days.length} days${target !== undefined ? ` against a target of ${escapeXml(fmtInt(target))} kcal` : ''}, and the week's protein, fat and carbohydrate energy split.</desc>`,
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`,
    `<text class="chart-title" x="${num(width / 2)}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}

/** Y axis with ticks, grid lines and its label. */
function yAxis({ left, right, top, bottom, plotH, step, yMax, y }: ChartLayout): string[] {
  const out: string[] = [];
  out.push(`<g class="y-axis">`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333333"/>`);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const yy = num(y(v));
    out.push(
      `<line x1="${left - 4}" y1="${yy}" x2="${right}" y2="${yy}" stroke="${v === 0 ? '#333333' : '#e5e5e5'}"/>`,
    );
    out.push(
      `<text class="y-tick" x="${left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">${escapeXml(fmtInt(v))}</text>`,
    );
  }
  out.push(
    `<text class="axis-label" x="16" y="${num(top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 16 ${num(top + plotH / 2)})">kcal per day</text>`,
  );
  out.push(`</g>`);
  return out;
}

/** One bar per day (highlighted above the target), the X axis day labels and the X axis label. */
function dayBars(
  insight: WeeklyInsight,
  { left, bottom, plotW, y }: ChartLayout,
  target: number | undefined,
): string[] {
  const slot = plotW / 7;
  const barW = slot * 0.6;
  const out: string[] = [];
  out.push(`<g class="bars">`);
  insight.days.forEach((d, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    const h = bottom - y(d.totals.kcal);
    const over = target !== undefined && d.totals.kcal > target;
    out.push(
      `<rect class="bar" data-date="${escapeXml(d.date)}" x="${num(x)}" y="${num(bottom - h)}" width="${num(barW)}" height="${num(h)}" fill="${over ? '#e0a23b' : '#4a90c2'}"><title>${escapeXml(`${d.label} ${d.date}: ${fmtInt(d.totals.kcal)} kcal, ${d.mealCount} ${d.mealCount === 1 ? 'meal' : 'meals'}`)}</title></rect>`,
    );
    out.push(
      `<text class="x-tick" x="${num(left + slot * i + slot / 2)}" y="${num(bottom + 16)}" text-anchor="middle">${escapeXml(d.label)}</text>`,
    );
    if (d.mealCount === 0)
      out.push(
        `<text class="no-data" x="${num(left + slot * i + slot / 2)}" y="${num(bottom - 6)}" text-anchor="middle" font-size="10" fill="#888888">not logged</text>`,
      );
  });
  out.push(`</g>`);
  out.push(
    `<text class="axis-label" x="${num(left + plotW / 2)}" y="${num(bottom + 34)}" text-anchor="middle">Day of week</text>`,
  );
  return out;
}

/** The dashed daily target line and its label; nothing without a positive finite target. */
function targetLine({ left, right, y }: ChartLayout, target: number | undefined): string[] {
  if (!(target !== undefined && Number.isFinite(target) && target > 0)) return [];
  const ty = num(y(target));
  return [
    `<line class="target-line" x1="${left}" y1="${ty}" x2="${right}" y2="${ty}" stroke="#c0392b" stroke-dasharray="6 4" stroke-width="1.5"/>`,
    `<text class="target-label" x="${right}" y="${num(y(target) - 6)}" text-anchor="end" fill="#c0392b">${escapeXml(`Estimated need ${fmtInt(target)} kcal`)}</text>`,
  ];
}

/** Top of the macro split bar (the heading sits above it, the legend and top sources below). */
const macroY = (l: ChartLayout) => l.bottom + 62;

/** The week's macro energy split as one stacked bar with a legend, or a placeholder without energy. */
function macroSplit(insight: WeeklyInsight, l: ChartLayout): string[] {
  const { left, plotW } = l;
  const my = macroY(l);
  const out: string[] = [];
  out.push(`<g class="macro-split">`);
  out.push(
    `<text x="${left}" y="${num(my - 8)}" font-weight="bold">Energy from protein, fat and carbohydrate (week)</text>`,
  );
  const shares = macroEnergyShares(insight.weekTotals);
  if (!shares) {
    out.push(`<rect x="${left}" y="${num(my)}" width="${num(plotW)}" height="22" fill="#f0f0f0"/>`);
    out.push(
      `<text x="${num(left + plotW / 2)}" y="${num(my + 15)}" text-anchor="middle" fill="#666666">No meals logged</text>`,
    );
  } else {
    const segs: MacroSegment[] = [
      { key: 'protein', label: 'Protein', pct: shares.protein, fill: '#5b8c5a' },
      { key: 'fat', label: 'Fat', pct: shares.fat, fill: '#d9a441' },
      { key: 'carb', label: 'Carbohydrate', pct: shares.carb, fill: '#6c8ebf' },
    ];
    out.push(...macroSegments(segs, left, plotW, my), ...macroLegend(segs, left, plotW, my));
  }
  out.push(`</g>`);
  return out;
}

function macroSegments(segs: MacroSegment[], left: number, plotW: number, my: number): string[] {
  const out: string[] = [];
  let x = left;
  for (const s of segs) {
    const w = (s.pct / 100) * plotW;
    out.push(
      `<rect class="macro-seg" data-macro="${s.key}" x="${num(x)}" y="${num(my)}" width="${num(w)}" height="22" fill="${s.fill}"><title>${escapeXml(`${s.label} ${Math.round(s.pct)} %`)}</title></rect>`,
    );
    x += w;
  }
  return out;
}

function macroLegend(segs: MacroSegment[], left: number, plotW: number, my: number): string[] {
  const out: string[] = [];
  segs.forEach((s, i) => {
    const lx = left + (plotW / 3) * i;
    out.push(`<rect x="${num(lx)}" y="${num(my + 32)}" width="10" height="10" fill="${s.fill}"/>`);
    out.push(
      `<text class="macro-label" x="${num(lx + 14)}" y="${num(my + 41)}">${escapeXml(`${s.label} ${Math.round(s.pct)} %`)}</text>`,
    );
  });
  return out;
}

/** The week's top energy sources under the chart; nothing when there are none. */
function topSources(insight: WeeklyInsight, l: ChartLayout): string[] {
  if (insight.topContributors.kcal.length === 0) return [];
  const names = insight.topContributors.kcal.map((c) => `${c.name} (${Math.round(c.sharePct)} %)`).join(', ');
  return [
    `<text class="top-sources" x="${l.left}" y="${num(macroY(l) + 70)}" font-size="11" fill="#444444">${escapeXml(`Top energy sources: ${names}`)}</text>`,
  ];
}
