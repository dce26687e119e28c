import fs from 'node:fs';

/**
 * CPU time and RSS of process trees from /proc (Linux): per group, so a run's cost is split into the dev
 * server, PostgreSQL and each node process. CPU in ms (utime + stime of live processes).
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuMs: number;
  rssMb: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    const f = raw.slice(close + 2).split(' ');
    // fields after comm: state(0) ppid(1) ... utime(11) stime(12) ... rss(21) in pages
    return {
      pid,
      ppid: Number(f[1]),
      comm,
      cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS,
      rssMb: (Number(f[21]) * 4096) / 1024 ** 2,
    };
  } catch {
    return undefined;
  }
}

function allProcs(): ProcStat[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((p): p is ProcStat => !!p);
}

/** Every process in the tree of each root pid, classified by `classify` into named groups. */
export function sampleGroups(
  roots: Record<string, number>,
  classify: (p: { comm: string; root: string; isRoot: boolean }) => string,
): Record<string, { cpuMs: number; rssMb: number }> {
  const procs = allProcs();
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Record<string, { cpuMs: number; rssMb: number }> = {};
  for (const [root, pid] of Object.entries(roots)) {
    const top = procs.find((p) => p.pid === pid);
    const stack = top ? [top] : [];
    while (stack.length) {
      const p = stack.pop()!;
      const g = classify({ comm: p.comm, root, isRoot: p.pid === pid });
      const acc = (out[g] ??= { cpuMs: 0, rssMb: 0 });
      acc.cpuMs += p.cpuMs;
      acc.rssMb += p.rssMb;
      stack.push(...(children.get(p.pid) ?? []));
    }
  }
  return out;
}
