import fs from 'node:fs';

/**
 * What a V8 .cpuprofile says about where a process's main thread spent its time, summed into categories by
 * the stack each sample was taken in (the first rule whose pattern matches any frame of the stack wins, so
 * e.g. a PostgreSQL driver call made by the API counts as the API's), plus the heaviest self-time frames.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const CATEGORY_RULES: [string, RegExp][] = [
  ['api (HTTP, auth, validation, the insert and the start)', /hono|\/src\/api\/|node-server/],
  ['activities (our step code, below the SDK)', /\/src\/activities\/|interceptors\/activity/],
  ['outbox relay', /outbox/],
  ['postgres.js and drizzle (results, continuations)', /node_modules\/(postgres|drizzle-orm)\//],
  ['payload codec (AES-GCM, protobuf)', /\/src\/temporal\/codec|\/src\/crypto\/aes-gcm/],
  ['Temporal SDK (worker, core bridge, rxjs, protobuf, gRPC)', /@temporalio|rxjs|protobufjs|@grpc/],
];
const SPECIAL = new Set(['(idle)', '(garbage collector)', '(program)']);

export function summarizeProfile(file: string, top = 15) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const msById = new Map<number, number>();
  p.samples.forEach((id, i) => msById.set(id, (msById.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const categories: Record<string, number> = {};
  const self: Record<string, number> = {};
  const add = (rec: Record<string, number>, k: string, v: number) => (rec[k] = (rec[k] ?? 0) + v);
  for (const [id, ms] of msById) {
    const leaf = byId.get(id)!.callFrame;
    if (SPECIAL.has(leaf.functionName)) {
      add(categories, leaf.functionName, ms);
      continue;
    }
    const stack: string[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const f = byId.get(x)!.callFrame;
      stack.push(`${f.url} ${f.functionName}`);
    }
    const rule = CATEGORY_RULES.find(([, rx]) => stack.some((s) => rx.test(s)));
    add(categories, rule?.[0] ?? 'other (node internals: sockets, timers, streams)', ms);
    const where = leaf.url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/main\//, '') || '(native)';
    add(self, `${leaf.functionName || '(anonymous)'} ${where}:${leaf.lineNumber + 1}`, ms);
  }
  const busyMs = Object.entries(categories)
    .filter(([k]) => k !== '(idle)')
    .reduce((s, [, v]) => s + v, 0);
  const sorted = (rec: Record<string, number>, n: number) =>
    Object.entries(rec)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => ({ what: k, ms: Math.round(v), shareOfBusy: +(v / busyMs).toFixed(3) }));
  return {
    busyMs: Math.round(busyMs),
    idleMs: Math.round(categories['(idle)'] ?? 0),
    categories: sorted(categories, 20),
    topSelf: sorted(self, top),
  };
}
