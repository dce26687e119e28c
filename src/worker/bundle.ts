import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { Logger } from '../logger';
import { FAILURE_CONVERTER_PATH } from '../temporal/data-converter';

/**
 * The workflow bundle is built once, not on every start: production images build it at image build time
 * (`wellflow bundle`, then WELLFLOW_WORKFLOW_BUNDLE points at it); local runs cache it in the data folder
 * keyed by a hash of the sources, so a restart without code changes skips webpack (several seconds on 2 cores).
 */
export const WORKFLOWS_ENTRY = path.resolve(__dirname, '..', 'workflows', 'index.ts');
const SRC_DIR = path.resolve(__dirname, '..');
/** Request-id propagation inside workflows (src/temporal/interceptors/workflow.ts), bundled with them. */
const WORKFLOW_INTERCEPTORS = path.resolve(__dirname, '..', 'temporal', 'interceptors', 'workflow.ts');
/**
 * OpenTelemetry span propagation inside workflows. Bundled only when tracing is configured: active with tracing
 * off it still cost ~10 ms of worker CPU per meal run (docs/performance.md). It adds headers, never commands,
 * so histories replay the same with or without it.
 */
const OTEL_WORKFLOW_INTERCEPTORS = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|json)$/.test(entry.name)) hash.update(full).update(fs.readFileSync(full));
    }
  };
  walk(SRC_DIR);
  for (const pkg of ['@temporalio/worker', '@temporalio/interceptors-opentelemetry']) {
    hash.update(fs.readFileSync(require.resolve(`${pkg}/package.json`)));
  }
  return hash.digest('hex').slice(0, 16);
}

export async function buildBundle(
  outFile: string,
  logger: Logger,
  opts: { tracing: boolean } = { tracing: true },
): Promise<string> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_ENTRY,
    workflowInterceptorModules: opts.tracing
      ? [WORKFLOW_INTERCEPTORS, OTEL_WORKFLOW_INTERCEPTORS]
      : [WORKFLOW_INTERCEPTORS],
    // Failures raised in workflow code are converted inside the sandbox: the same converter as the workers'.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, outFile); // atomic: a concurrent reader never sees half a bundle
  logger.info({ outFile, ms: Date.now() - started }, 'workflow bundle built');
  return outFile;
}

export async function workflowBundlePath(opts: {
  prebuilt?: string;
  dataDir: string;
  logger: Logger;
  /** Whether OpenTelemetry is configured (OTEL_EXPORTER_OTLP_ENDPOINT); a prebuilt bundle always carries it. */
  tracing?: boolean;
}): Promise<string> {
  if (opts.prebuilt) {
    if (!fs.existsSync(opts.prebuilt)) throw new Error(`WELLFLOW_WORKFLOW_BUNDLE=${opts.prebuilt} does not exist`);
    return opts.prebuilt;
  }
  const tracing = opts.tracing ?? true;
  const cached = path.join(opts.dataDir, 'cache', `workflow-bundle-${sourceHash()}${tracing ? '-otel' : ''}.js`);
  if (fs.existsSync(cached)) return cached;
  return buildBundle(cached, opts.logger, { tracing });
}
