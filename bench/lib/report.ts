import fs from 'node:fs';
import path from 'node:path';
/** Summaries and the markdown table of the meal benchmark (bench/meal-pipeline.ts). */
export interface Phase {
  offered: number;
  started: number;
  completed: number;
  latencies: number[];
  startMs: number[];
  completionsPerS: number;
  backlogAtEnd: number;
  cpu: Record<string, number>;
}

export interface ArmResult {
  round: number;
  arm: string;
  loadavg: number[];
  loadavgAfter: number[];
  low: Phase;
  high: Phase;
  drain: { n: number; completed: number; perS: number; cpu: Record<string, number> };
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Per arm: latency percentiles over all rounds' samples, and the median of each round's figures. */
export function summarize(results: ArmResult[], arms: readonly string[]) {
  return Object.fromEntries(
    arms.map((arm) => {
      const rs = results.filter((r) => r.arm === arm);
      const lat = rs.flatMap((r) => r.low.latencies);
      const start = rs.flatMap((r) => r.low.startMs);
      const cpuGroups = [...new Set(rs.flatMap((r) => Object.keys(r.drain.cpu)))];
      return [
        arm,
        {
          rounds: rs.length,
          low: { p50: r1(pct(lat, 50)), p90: r1(pct(lat, 90)), p99: r1(pct(lat, 99)), n: lat.length },
          startP50Ms: r1(pct(start, 50)),
          highCompletionsPerS: r1(median(rs.map((r) => r.high.completionsPerS))),
          highBacklogAtEnd: median(rs.map((r) => r.high.backlogAtEnd)),
          highP99: r1(median(rs.map((r) => pct(r.high.latencies, 99)))),
          drainPerS: r1(median(rs.map((r) => r.drain.perS))),
          /** CPU ms per run of each process group during the drain (median of rounds). */
          drainCpuMsPerRun: Object.fromEntries(
            cpuGroups.map((g) => [g, r1(median(rs.map((r) => r.drain.cpu[g] ?? 0)))]),
          ),
          loadavg1m: rs.map((r) => r.loadavg[0]!.toFixed(1)),
        },
      ];
    }),
  );
}

export function renderTable(out: {
  at: string;
  command: string;
  config: Record<string, unknown>;
  summary: ReturnType<typeof summarize>;
  peakRssMb: Record<string, number>;
}): string {
  const s = out.summary;
  const lines = [
    `Meal benchmark, ${out.at} — \`${out.command}\``,
    '',
    `Config: ${JSON.stringify(out.config)}. Shared 2-core machine: compare arms side by side; load average (1 min) at the start of each arm's round is listed.`,
    '',
    `| arm | p50 / p90 / p99 start→close at ${out.config.lowRate}/s (ms) | start ack p50 (ms) | completions/s at ${out.config.highRate}/s offered (backlog left) | drain /s | CPU ms per run (drain; servers' total, by process, and the bench's own client) | load avg |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const [arm, a] of Object.entries(s)) {
    const cpu = Object.entries(a.drainCpuMsPerRun)
      .filter(([, v]) => v > 0.05)
      .map(([g, v]) => `${g} ${v}`)
      .join(', ');
    // The servers' total: the bench's own client (benchClient) is listed but not added.
    const total = r1(
      Object.entries(a.drainCpuMsPerRun)
        .filter(([g]) => g !== 'benchClient')
        .reduce((x, [, y]) => x + y, 0),
    );
    lines.push(
      `| ${arm} | ${a.low.p50} / ${a.low.p90} / ${a.low.p99} | ${a.startP50Ms} | ${a.highCompletionsPerS} (${a.highBacklogAtEnd}) | ${a.drainPerS} | ${total} (${cpu}) | ${a.loadavg1m.join(', ')} |`,
    );
  }
  const w = s.wellflow;
  const bl = s.bareLocal;
  if (w && bl) {
    lines.push(
      '',
      `Ratios (Wellflow / bareLocal): p50 ${r1(w.low.p50 / bl.low.p50)}×, p99 ${r1(w.low.p99 / bl.low.p99)}×, drain ${r1(w.drainPerS / bl.drainPerS)}×.`,
    );
  }
  lines.push('', `Peak RSS (MB, summed over each group's processes): ${JSON.stringify(out.peakRssMb)}`, '');
  return lines.join('\n');
}

/** Writes a bench's results as bench/results/<name>.json and .md and prints the markdown. */
export function writeBenchResults(name: string, json: unknown, md: string, log: (m: string) => void): void {
  const base = path.join(__dirname, '..', 'results', name);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, md);
  console.log(md);
  log(`written to bench/results/${name}.{json,md}`);
}
