import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { NO_TRACING } from '../../src/observability/tracing';
import { parseEncryptionKeys } from '../../src/secrets';
import { AesGcmCodec } from '../../src/temporal/codec';

/**
 * Replays real histories, recorded from commits c66a719 and 6c708a4 (tests/fixtures/histories/README.md),
 * against the current workflow code: a change to a workflow's command sequence that is not behind patched()
 * makes a run started before the change fail on its next workflow task, and fails here first.
 */
const DIR = path.resolve(__dirname, '../fixtures/histories');
/** The test-only key the histories' payloads were encrypted with (never a real key). */
const REPLAY_TEST_KEY = 'replay1:EVAteIQe1kw9wyBrKRbKaU8bgj2obREKZvCVYmzV01U=';
const RECORDED = [
  'mealAnalysis-text-completed',
  'mealAnalysis-estimate-failed',
  'mealAnalysis-photo-needs-input-described',
  'mealAnalysis-needs-input-cancelled',
  // Recorded from 6c708a4 (local steps, the event queued by a publish step before close).
  'mealAnalysis-local-text-completed',
  'mealAnalysis-local-estimate-failed',
  'mealAnalysis-local-photo-needs-input-described',
  'mealAnalysis-local-needs-input-cancelled',
  'mealBatch-three-items-one-failed',
  'journalScreening-none',
  'journalScreening-high-opens-case',
  'crisisCase-escalated-acknowledged-resolved-closed',
  // Recorded from d282477 (patch case-record-local: timeline entries as local activities, no publish step).
  'crisisCase-local-escalated-acknowledged-resolved-closed',
  'weeklyInsight-api',
  'weeklyInsightsAll-two-people',
  'maintenanceCleanup-manual',
  'maintenanceRetention-manual',
  'maintenanceDatabase-manual',
  'maintenanceHealthReport-manual',
];

const dataConverter = { payloadCodecs: [new AesGcmCodec(parseEncryptionKeys(REPLAY_TEST_KEY))] };
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')));

describe('replay of recorded workflow histories', () => {
  beforeAll(() => {
    // Each test file runs in its own process: the replay workers' state changes would otherwise fill the log.
    Runtime.install({ logger: new DefaultLogger('WARN') });
  });

  it('has every recorded history', () => {
    expect(files.length).toBeGreaterThanOrEqual(RECORDED.length);
    expect(files).toEqual(expect.arrayContaining(RECORDED.map((name) => `${name}.json`)));
  });

  it('replays each history against the current workflow code without a determinism error', async () => {
    const histories = files.map((file) => ({ workflowId: path.basename(file, '.json'), history: load(file) }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const r of Worker.runReplayHistories(
      // As the workers run it: the bundle global setup builds from src/workflows, and the (no-op) span sink.
      { workflowBundle: { codePath: inject('bundlePath') }, dataConverter, sinks: NO_TRACING.sinks },
      histories,
    )) {
      replayed++;
      if (r.error) failures.push(`${r.workflowId}: ${r.error.name}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  }, 120_000);

  it('fails on a workflow whose commands differ from the history (the check can fail)', async () => {
    const history = load('crisisCase-escalated-acknowledged-resolved-closed.json');
    const replay = Worker.runReplayHistory(
      { workflowsPath: path.resolve(__dirname, '../fixtures/replay-mismatch/workflows.ts'), dataConverter },
      history,
    );
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
  }, 120_000);
});
