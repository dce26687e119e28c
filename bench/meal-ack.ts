// Where POST /v1/meals → 202 spends its time, beside a bare `client.workflow.start` (issue 14's ack target:
// p50 ≤ 1.3× the bare start). Starts its own stack (bench/lib/stack.ts: `wellflow dev` + the bare worker) and
// sends, one request at a time, the four arms in a fresh random order for every set (so no arm always follows
// the same one: a bare start right after a POST shares the CPU with that meal's run), from 1,000 people:
//   ping       GET /ping: the HTTP round trip and the middleware every route shares (no auth, no database)
//   authed     GET /v1/bench-absent (404): + the token check, the erased-account check and the per-user limit,
//              and no handler (every /v1 route's middleware, nothing else)
//   post       POST /v1/meals with a text meal: + validation, the meal's INSERT and the workflow start
//   bareStart  client.workflow.start of the bare six-local workflow (what the bench's bare arms call)
// The floor of a synchronous start is `ping + bareStart`: the API cannot answer before its own start is
// acknowledged. Results: bench/results/meal-ack-<time>.{json,md}.
//   npx tsx bench/meal-ack.ts [--rounds 5] [--per-round 60] [--gap-ms 100]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { signToken } from '../src/api/auth';
import { startBenchStack } from './lib/stack';
import { writeBenchResults } from './lib/report';
import { benchLog, postBenchMeal } from './lib/meal-texts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'per-round': { type: 'string', default: '60' },
    // 100 ms between requests: ~10 requests a second in all, a light load, so the figures are the path's own
    // cost rather than queueing (the meal bench measures queueing).
    'gap-ms': { type: 'string', default: '100' },
  },
});
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);
const GAP_MS = Number(values['gap-ms']);
const ARMS = ['ping', 'authed', 'post', 'bareStart'] as const;
type Arm = (typeof ARMS)[number];
const log = benchLog;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
};
const round1 = (x: number) => Math.round(x * 10) / 10;
/** Fisher-Yates with a fixed-seed generator (mulberry32), so a rerun sends the same sequence. */
let seed = 14;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const shuffled = <T>(xs: readonly T[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};
const roundedSamples = (s: Record<string, number[]>) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.map(round1)]));

async function main() {
  const stack = await startBenchStack({ split: false, log });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const tokens = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => signToken(stack.jwtSecret, { sub: `ack-${i}`, role: 'user' }, 3600)),
  );
  let seq = 0;
  const call = async (arm: Arm): Promise<number> => {
    const n = seq++;
    const auth = { Authorization: `Bearer ${tokens[n % tokens.length]}` };
    const t0 = performance.now();
    if (arm === 'bareStart') {
      await client.workflow.start('bareLocal', {
        taskQueue: 'bench-bare',
        workflowId: `ack-${Date.now()}-${n}`,
        args: [`ack-${Date.now()}-${n}`],
      });
      return performance.now() - t0;
    }
    const res =
      arm === 'ping'
        ? await fetch(`${stack.apiUrl}/ping`)
        : arm === 'authed'
          ? await fetch(`${stack.apiUrl}/v1/bench-absent`, { headers: auth })
          : await postBenchMeal(stack.apiUrl, tokens, n);
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    const expected = arm === 'post' ? 202 : arm === 'authed' ? 404 : 200;
    if (res.status !== expected) throw new Error(`${arm}: HTTP ${res.status}, expected ${expected}`);
    return ms;
  };

  // Warm-up: connections, JIT, the workflow bundle's first runs.
  for (let i = 0; i < 30; i++) for (const arm of ARMS) await call(arm);
  const samples: Record<Arm, number[]> = { ping: [], authed: [], post: [], bareStart: [] };
  const load: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    load.push(os.loadavg());
    for (let i = 0; i < PER_ROUND; i++)
      for (const arm of shuffled(ARMS)) {
        samples[arm].push(await call(arm));
        await sleep(GAP_MS);
      }
    log(`round ${r + 1}/${ROUNDS} done (load ${os.loadavg()[0]!.toFixed(1)})`);
  }
  load.push(os.loadavg());

  const stats = Object.fromEntries(
    ARMS.map((a) => [a, { n: samples[a].length, p50: quantile(samples[a], 0.5), p90: quantile(samples[a], 0.9) }]),
  ) as Record<Arm, { n: number; p50: number; p90: number }>;
  const floor = stats.ping.p50 + stats.bareStart.p50;
  const ratio = stats.post.p50 / stats.bareStart.p50;
  const lines = [
    `# POST /v1/meals → 202 beside a bare start (${new Date().toISOString()})`,
    '',
    `${ROUNDS} rounds × ${PER_ROUND} requests per arm, ${GAP_MS} ms apart, alternated; 1-min load ${load.map((l) => l[0]!.toFixed(1)).join(' → ')}.`,
    '',
    '| arm | p50 (ms) | p90 (ms) | n |',
    '| --- | --- | --- | --- |',
    ...ARMS.map((a) => `| ${a} | ${round1(stats[a].p50)} | ${round1(stats[a].p90)} | ${stats[a].n} |`),
    '',
    `post / bareStart p50: **${ratio.toFixed(2)}×** (target ≤ 1.3×). Floor of a synchronous start, ping + bareStart: ` +
      `${round1(floor)} ms = ${(floor / stats.bareStart.p50).toFixed(2)}× bareStart.`,
    `Shares of post's p50 beyond ping: auth + erased check + per-user limit ≈ ${round1(stats.authed.p50 - stats.ping.p50)} ms, ` +
      `validation + INSERT + start ≈ ${round1(stats.post.p50 - stats.authed.p50)} ms (bare start ${round1(stats.bareStart.p50)}).`,
    '',
  ];
  const name = `meal-ack-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  writeBenchResults(
    name,
    { rounds: ROUNDS, perRound: PER_ROUND, gapMs: GAP_MS, load, stats, samples: roundedSamples(samples) },
    lines.join('\n'),
    log,
  );
  await connection.close();
  await stack.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
