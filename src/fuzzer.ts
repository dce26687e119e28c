import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipInstallIntoToolsVenv, systemPython, VENV_BIN } from './temporal/cli-resolver';

/**
 * The API fuzzer of the test suite's fuzz gate (tests/integration/fuzz.test.ts): Schemathesis from PyPI, pinned,
 * in the project's tools venv beside the Temporal CLI. `npm run tools:install` installs it (so does the gate
 * itself on first use); nothing is installed globally.
 */
export const SCHEMATHESIS_VERSION = '4.32.5';

export const SCHEMATHESIS_BIN = path.join(VENV_BIN, 'schemathesis');

function installedVersion(): string | undefined {
  if (!fs.existsSync(SCHEMATHESIS_BIN)) return undefined;
  const res = spawnSync(SCHEMATHESIS_BIN, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return /version (\S+)/.exec(res.stdout ?? '')?.[1];
}

/** Installs the pinned Schemathesis into `.tools/venv` unless that exact version is there; returns its path. */
export function installSchemathesis(log: (msg: string) => void = () => {}): string {
  if (installedVersion() === SCHEMATHESIS_VERSION) return SCHEMATHESIS_BIN;
  const python = systemPython();
  if (!python) throw new Error(`python3 is needed to install schemathesis==${SCHEMATHESIS_VERSION} into .tools/venv`);
  pipInstallIntoToolsVenv(python, `schemathesis==${SCHEMATHESIS_VERSION}`, log);
  const got = installedVersion();
  if (got !== SCHEMATHESIS_VERSION) throw new Error(`schemathesis installed but ${SCHEMATHESIS_BIN} reports ${got}`);
  return SCHEMATHESIS_BIN;
}
