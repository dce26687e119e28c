#!/usr/bin/env node
// Meal pipeline benchmark against a running Wellflow (`npm start`): single-meal latency (POST → completed)
// and a 200-item batch with 5 unrecognisable items. Usage:
//   WELLFLOW_URL=http://127.0.0.1:3000 node bench/meal-pipeline.mjs [--meals 20] [--batch 200] [--concurrency 8]
// It mints its token with `wellflow token`, so run it with the same WELLFLOW_DATA_DIR / JWT_SECRET as the
// server. Results are printed and written to bench/results/meal-pipeline-<timestamp>.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    meals: { type: 'string', default: '20' },
    batch: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
  },
});
const base = process.env.WELLFLOW_URL ?? 'http://127.0.0.1:3000';
const user = `bench-${Date.now()}`;
const token = execFileSync(
  process.execPath,
  [path.join(root, 'bin', 'wellflow.js'), 'token', '--sub', user, '--role', 'user', '--ttl', '2h'],
  { encoding: 'utf8' },
).trim();
const call = async (method, p, body) => {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const MEALS = [
  '2 eggs and toast',
  'a bowl of oatmeal with blueberries',
  '150g grilled salmon and rice',
  'chicken caesar salad',
  'a cup of coffee with milk',
  'spaghetti bolognese',
  'a handful of almonds',
  '2 slices of pepperoni pizza',
];

// 1. Single meals, one after another: end-to-end latency as a person sees it (POST, then poll every 50 ms).
const latencies = [];
for (let i = 0; i < Number(values.meals); i++) {
  const t0 = performance.now();
  const { json } = await call('POST', '/v1/meals', { description: MEALS[i % MEALS.length] });
  for (;;) {
    const m = await call('GET', `/v1/meals/${json.mealId}`);
    if (m.json.status === 'completed' || m.json.status === 'failed') break;
    await sleep(50);
  }
  latencies.push(performance.now() - t0);
}

// 2. A batch with 5 bad items.
const n = Number(values.batch);
const badAt = new Set([3, 47, 101, 150, n - 1].filter((i) => i < n));
const items = Array.from({ length: n }, (_, i) => ({
  description: badAt.has(i) ? 'zzqx vrrblt' : MEALS[i % MEALS.length],
}));
const t0 = performance.now();
const started = await call('POST', '/v1/meals/batch', { items, concurrency: Number(values.concurrency) });
if (started.status !== 202) throw new Error(`batch not started: ${JSON.stringify(started.json)}`);
let batch;
for (;;) {
  batch = (await call('GET', `/v1/meals/batch/${started.json.batchId}`)).json;
  if (batch.status !== 'running') break;
  await sleep(250);
}
const batchMs = performance.now() - t0;

const result = {
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
  },
  singleMeal: {
    n: latencies.length,
    p50_ms: Math.round(pct(latencies, 50)),
    p95_ms: Math.round(pct(latencies, 95)),
    max_ms: Math.round(Math.max(...latencies)),
  },
  batch: {
    items: n,
    concurrency: Number(values.concurrency),
    status: batch.status,
    counts: batch.counts,
    failedReasons: [...new Set(batch.items.filter((i) => i.status === 'failed').map((i) => i.error))],
    seconds: +(batchMs / 1000).toFixed(1),
    meals_per_s: +(n / (batchMs / 1000)).toFixed(1),
  },
};
console.log(JSON.stringify(result, null, 2));
const out = path.join(root, 'bench', 'results', `meal-pipeline-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written to ${path.relative(root, out)}`);
