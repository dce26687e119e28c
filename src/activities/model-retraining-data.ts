import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ImageStore } from '../adapters/images/store';
import { type InferenceClient, InferenceError } from '../adapters/inference';
import type { ModelVersionRef } from '../contracts/model-retraining';
import type { ModelRetrainingRepository } from '../db/repositories/model-retrainings';
import { canaryBucket } from '../domain/models/routing';
import { type EvaluationSample, type ModelScore, scoreModel } from '../domain/models/evaluation';
import type { Logger } from '../logger';
import { MIN_LABEL_CONFIDENCE } from './meals';

export interface RetrainingDataDeps {
  retrainings: ModelRetrainingRepository;
  images: ImageStore;
  /** A model server client for one model version (the recognise step's clients come from the same factory). */
  inferenceFor?: (model: ModelVersionRef) => InferenceClient;
  /** The fixed evaluation set: labels.json (`[{file, label}]`) and the photos it names. */
  evalDir: string;
  /** Where manifests are written: <data dir>/retraining/<run id>/manifest.json. */
  retrainingDir: string;
  logger: Logger;
}

interface EvalEntry {
  file: string;
  label: string;
}

export interface ManifestEntry {
  sha256: string;
  label: string;
  split: 'train' | 'validation' | 'evaluation';
  source: 'correction' | 'confirmation' | 'evaluation';
  /** Where the trainer reads the photo: an image-store key, or a file of the evaluation set. */
  imageKey?: string;
  file?: string;
}

/** One in ten labelled photos validates the training (by a hash of the meal id: stable across reruns). */
const VALIDATION_SHARE = 0.1;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The fixed evaluation set's labels, or a final failure naming what is missing (never its content). */
async function readEvaluationSet(evalDir: string): Promise<EvalEntry[]> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(evalDir, 'labels.json'), 'utf8');
  } catch {
    throw ApplicationFailure.nonRetryable('the evaluation set has no labels.json', 'EvaluationSetMissing');
  }
  const parsed = JSON.parse(raw) as unknown;
  const ok =
    Array.isArray(parsed) &&
    parsed.every(
      (e) =>
        typeof (e as EvalEntry).file === 'string' &&
        typeof (e as EvalEntry).label === 'string' &&
        !(e as EvalEntry).file.includes('..'),
    );
  if (!ok || parsed.length === 0)
    throw ApplicationFailure.nonRetryable(
      'labels.json must be a non-empty [{file, label}] list',
      'EvaluationSetMissing',
    );
  return parsed as EvalEntry[];
}

/** The labelled set (snapshot + manifest) and the evaluation of a candidate against the model in use. */
export function createRetrainingDataActivities(deps: RetrainingDataDeps) {
  return {
    /**
     * Photos people corrected or confirmed since the previous run's snapshot, plus the fixed evaluation set, written as a
     * manifest of content hashes, labels and split. Returns the manifest's path and counts only.
     */
    async snapshotLabelledSet(input: {
      retrainingId: string;
    }): Promise<{ manifestPath: string; labelled: number; evaluation: number }> {
      const since = await deps.retrainings.previousSnapshotAt(input.retrainingId);
      // A meal both confirmed and then corrected is labelled by its correction (the person's latest word).
      const corrected = await deps.retrainings.correctedPhotos(since);
      const correctedIds = new Set(corrected.map((p) => p.mealId));
      const confirmed = (await deps.retrainings.confirmedPhotos(since)).filter((p) => !correctedIds.has(p.mealId));
      const photos = [
        ...corrected.map((p) => ({ ...p, source: 'correction' as const })),
        ...confirmed.map((p) => ({ ...p, source: 'confirmation' as const })),
      ];
      const entries: ManifestEntry[] = [];
      for (const [i, p] of photos.entries()) {
        const bytes = await deps.images.get(p.imageKey);
        if (!bytes) continue; // deleted by retention since the label was given: nothing to train on
        const split = canaryBucket(p.mealId) < VALIDATION_SHARE ? 'validation' : 'train';
        entries.push({ sha256: sha256(bytes), label: p.label, split, source: p.source, imageKey: p.imageKey });
        if (i % 100 === 0) Context.current().heartbeat({ hashed: i });
      }
      const labelled = entries.length;
      for (const e of await readEvaluationSet(deps.evalDir)) {
        const bytes = await fs.readFile(path.join(deps.evalDir, e.file)).catch(() => undefined);
        if (!bytes)
          throw ApplicationFailure.nonRetryable(`evaluation photo ${e.file} is missing`, 'EvaluationSetMissing');
        entries.push({
          sha256: sha256(bytes),
          label: e.label,
          split: 'evaluation',
          source: 'evaluation',
          file: e.file,
        });
      }
      const dir = path.join(deps.retrainingDir, input.retrainingId.replace(/[^A-Za-z0-9._-]/g, '_'));
      await fs.mkdir(dir, { recursive: true });
      const manifestPath = path.join(dir, 'manifest.json');
      const manifest = { retrainingId: input.retrainingId, since: since.toISOString(), entries };
      // Written to a temporary name and renamed: the trainer never reads half a manifest.
      await fs.writeFile(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 1));
      await fs.rename(`${manifestPath}.tmp`, manifestPath);
      await deps.retrainings.update(input.retrainingId, { manifestPath, labelledCount: labelled });
      deps.logger.info(
        { retrainingId: input.retrainingId, labelled, entries: entries.length },
        'labelled set snapshot',
      );
      return { manifestPath, labelled, evaluation: entries.length - labelled };
    },

    /** Top-1, top-3 and the needs_input share of the model in use and the candidate on the fixed evaluation set. */
    async evaluateCandidate(input: {
      retrainingId: string;
      current: ModelVersionRef;
      candidate: ModelVersionRef;
    }): Promise<{ current: ModelScore; candidate: ModelScore }> {
      if (!deps.inferenceFor)
        throw ApplicationFailure.nonRetryable('no model server is configured (INFERENCE_URL)', 'InferenceRejected');
      const set = await readEvaluationSet(deps.evalDir);
      const score = async (ref: ModelVersionRef): Promise<ModelScore> => {
        const client = deps.inferenceFor!(ref);
        const samples: EvaluationSample[] = [];
        for (const e of set) {
          const bytes = await fs.readFile(path.join(deps.evalDir, e.file));
          try {
            const r = await client.classify(bytes);
            samples.push({ label: e.label, predicted: r.items });
          } catch (err) {
            if (err instanceof InferenceError && !err.retryable)
              throw ApplicationFailure.nonRetryable(err.message, 'InferenceRejected');
            throw err;
          }
          Context.current().heartbeat();
        }
        return scoreModel(samples, MIN_LABEL_CONFIDENCE);
      };
      const current = await score(input.current);
      const candidate = await score(input.candidate);
      deps.logger.info({ retrainingId: input.retrainingId, current, candidate }, 'candidate evaluated');
      return { current, candidate };
    },
  };
}

export type RetrainingDataActivities = ReturnType<typeof createRetrainingDataActivities>;
