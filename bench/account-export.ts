// Account export memory (issue 16, docs/account-lifecycle.md): starts its own stack (`wellflow dev` serving the
// heavy queue, where the pack step runs, and a separate `wellflow worker` for default+critical, where the stage
// steps run), seeds two people straight into the tables and the photo store:
//   small: 500 meals with analyses, 100 photos;  large: 5,000 meals with analyses, 1,000 photos
// (each photo a distinct ~150 KB JPEG: a real JPEG plus incompressible bytes after its end marker, as big as a
// processed upload), exports each through the API one after the other, sampling the RSS of both node
// processes (not their PostgreSQL/Temporal children) every 250 ms, and writes
// bench/results/account-export-<time>.{json,md}: archive size, duration, peak RSS over baseline per person
// (after a 10-meal warmup export, so the worker's one-time start-up growth is not counted).
// Usage: npx tsx bench/account-export.ts [--small 500] [--large 5000]
// The machine is shared: absolute numbers are noisy; read them with the recorded load average.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createImageStore } from '../src/adapters/images/store';
import { signToken } from '../src/api/auth';
import { photo } from '../tests/fixtures/images';
import { sampleGroups } from './lib/procs';
import { ROOT, startBenchStack } from './lib/stack';

const { values } = parseArgs({
  options: { small: { type: 'string', default: '500' }, large: { type: 'string', default: '5000' } },
});
const log = (m: string) => console.log(`[${new Date().toISOString()}] ${m}`);
/** One photo per five meals, as in the 5,000 meals / 1,000 photos. */
const PHOTO_EVERY = 5;

async function seed(sql: postgres.Sql, dataDir: string, userId: string, mealCount: number): Promise<void> {
  const images = createImageStore(dataDir);
  const base = await photo('jpeg');
  const start = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < mealCount; i += 500) {
    const rows = [];
    const analyses = [];
    for (let j = i; j < Math.min(i + 500, mealCount); j++) {
      const id = randomUUID();
      const imageKey =
        j % PHOTO_EVERY === 0 ? await images.put(Buffer.concat([base, randomBytes(150_000)]), 'image/jpeg') : null;
      rows.push({
        id,
        user_id: userId,
        description: `seeded meal ${j}: grilled salmon with rice and broccoli`,
        eaten_at: new Date(start + j * 3 * 3600_000),
        meal_type: 'lunch',
        image_key: imageKey,
        workflow_id: `meal-${id}`,
        outcome: 'completed',
      });
      analyses.push({
        meal_id: id,
        items: sql.json([
          { text: 'grilled salmon', foodId: 'salmon', name: 'Salmon, grilled', grams: 150, confidence: 0.9 },
          { text: 'rice', foodId: 'rice', name: 'Rice, white, cooked', grams: 200, confidence: 0.9 },
          { text: 'broccoli', foodId: 'broccoli', name: 'Broccoli, boiled', grams: 80, confidence: 0.9 },
        ]),
        totals: sql.json({ kcal: 640, protein_g: 42, fat_g: 18, carb_g: 62, sodium_mg: 380 }),
        feedback: sql.json([{ code: 'protein_good', severity: 'info', message: 'Good protein', source: 'who' }]),
        warnings: sql.json([]),
        confidence: 0.9,
        food_table_version: 'bench',
      });
    }
    await sql`insert into app.meals ${sql(rows)}`;
    await sql`insert into app.meal_analyses ${sql(analyses)}`;
  }
}

interface PersonResult {
  person: string;
  meals: number;
  photos: number;
  seconds: number;
  archiveMb: number;
  baselineRssMb: Record<string, number>;
  peakRssMb: Record<string, number>;
  peakOverBaselineMb: Record<string, number>;
  series: { t: number; worker: number; dev: number }[];
}

async function main() {
  const loadBefore = os.loadavg();
  const stack = await startBenchStack({ split: true, log });
  const sql = postgres(stack.databaseUrl, { max: 4, onnotice: () => {} });
  const roots = { worker: stack.pids.wellflowWorker!, dev: stack.pids.wellflow! };
  // Only the node processes themselves: the dev process's PostgreSQL and Temporal children are not the worker.
  const rss = () => {
    const g = sampleGroups(roots, ({ root, isRoot }) => (isRoot ? root : 'other'));
    return { worker: Math.round(g.worker?.rssMb ?? 0), dev: Math.round(g.dev?.rssMb ?? 0) };
  };
  const results: PersonResult[] = [];
  try {
    // warmup: the worker's first workflow task builds its V8 context and loads the activities' modules; that
    // one-time growth is not the export's, so a 10-meal export runs first (recorded, not compared).
    for (const [person, meals] of [
      ['warmup', 10],
      ['small', Number(values.small)],
      ['large', Number(values.large)],
    ] as const) {
      const userId = `bench-export-${person}-${randomUUID().slice(0, 6)}`;
      log(`seeding ${person}: ${meals} meals, ${Math.ceil(meals / PHOTO_EVERY)} photos`);
      await seed(sql, stack.dataDir, userId, meals);
      const token = await signToken(stack.jwtSecret, { sub: userId, role: 'user' }, 3600);
      const headers = { Authorization: `Bearer ${token}` };
      await new Promise((r) => setTimeout(r, 2000));
      const baseline = rss();
      const series: PersonResult['series'] = [];
      const t0 = Date.now();
      const timer = setInterval(() => series.push({ t: Date.now() - t0, ...rss() }), 250);
      const started = (await (await fetch(`${stack.apiUrl}/v1/me/export`, { method: 'POST', headers })).json()) as {
        exportId: string;
      };
      let view: { status: string; sizeBytes: number; counts: Record<string, number> };
      for (;;) {
        view = (await (
          await fetch(`${stack.apiUrl}/v1/me/export/${started.exportId}`, { headers })
        ).json()) as typeof view;
        if (view.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      clearInterval(timer);
      const seconds = (Date.now() - t0) / 1000;
      if (view.status !== 'completed') throw new Error(`export ${person} ended ${view.status}`);
      const peak = {
        worker: Math.max(...series.map((s) => s.worker)),
        dev: Math.max(...series.map((s) => s.dev)),
      };
      results.push({
        person,
        meals: view.counts.meals ?? 0,
        photos: view.counts.photos ?? 0,
        seconds,
        archiveMb: Math.round((view.sizeBytes / 1024 ** 2) * 10) / 10,
        baselineRssMb: baseline,
        peakRssMb: peak,
        peakOverBaselineMb: { worker: peak.worker - baseline.worker, dev: peak.dev - baseline.dev },
        series,
      });
      log(
        `${person}: ${seconds} s, ${view.sizeBytes} bytes, peak ${JSON.stringify(peak)} over ${JSON.stringify(baseline)}`,
      );
    }
  } finally {
    await sql.end();
    await stack.stop();
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const result = {
    bench: 'account-export',
    at: new Date().toISOString(),
    loadBefore,
    loadAfter: os.loadavg(),
    cpus: os.cpus().length,
    results,
  };
  const out = path.join(ROOT, 'bench', 'results', `account-export-${stamp}`);
  fs.writeFileSync(`${out}.json`, JSON.stringify(result, null, 2) + '\n');
  const rows = results.map(
    (r) =>
      `| ${r.person} | ${r.meals} | ${r.photos} | ${r.archiveMb} | ${r.seconds.toFixed(1)} | ${r.baselineRssMb.worker} → ${r.peakRssMb.worker} (+${r.peakOverBaselineMb.worker}) | ${r.baselineRssMb.dev} → ${r.peakRssMb.dev} (+${r.peakOverBaselineMb.dev}) |`,
  );
  fs.writeFileSync(
    `${out}.md`,
    [
      `# account-export ${result.at}`,
      '',
      `Load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${result.loadAfter.map((l) => l.toFixed(1)).join(' ')} (${result.cpus} cores, shared machine).`,
      'RSS of the node processes only, sampled every 250 ms from the POST until the export reads completed.',
      'worker = `wellflow worker` (default+critical: the stage steps); dev = `wellflow dev` (API + heavy queue: the pack step).',
      '',
      '| person | meals | photos | archive MB | seconds | worker RSS MB (baseline → peak) | dev RSS MB (baseline → peak) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
  log(`wrote ${out}.{json,md}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
