import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * deploy/prometheus checked by Prometheus's own tool (Debian package `prometheus`, installed by .ci/run):
 * the configuration and its rule files load, and the alerts fire on the series they are about, after their
 * `for` and not before (tests/fixtures/prometheus/alerts.test.yml). That every series exists is
 * tests/integration/observability.test.ts.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const promtool = (...args: string[]) => {
  const res = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (res.error) throw new Error(`promtool did not run (install Debian's prometheus package): ${res.error.message}`);
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
};

describe('Prometheus configuration and alert rules', () => {
  it('promtool check rules accepts every rule', () => {
    const { code, out } = promtool('check', 'rules', 'deploy/prometheus/alerts.yml');
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
    expect(code, out).toBe(0);
  });

  it('promtool check config accepts the scrape configuration and finds the rule file', () => {
    const { code, out } = promtool('check', 'config', 'deploy/prometheus/prometheus.yml');
    expect(out).toMatch(/SUCCESS: 1 rule files found/);
    expect(code, out).toBe(0);
  });

  it('the alerts fire when they should (promtool test rules)', () => {
    const { code, out } = promtool('test', 'rules', 'tests/fixtures/prometheus/alerts.test.yml');
    expect(out).toMatch(/SUCCESS/);
    expect(code, out).toBe(0);
  });

  it('a broken rule is refused, so the checks above can fail', () => {
    const { code } = promtool('check', 'rules', 'tests/fixtures/prometheus/broken-rules.yml');
    expect(code).not.toBe(0);
  });
});
