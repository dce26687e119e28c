import { type InferenceClient, InferenceError, type ParsedInference } from '../adapters/inference';
import type { ModelRef, ModelRoutingRepository, RecognitionOutcome } from '../db/repositories/model-routing';
import { routeFor } from '../domain/models/routing';
import type { Logger } from '../logger';

/** What the recognise step needs to pick a model version per meal (docs/model-retraining.md, Canary). */
export interface RecognizerDeps {
  routing: ModelRoutingRepository;
  /** A client for one model version; the same factory serves the evaluate step. */
  clientFor: (ref: ModelRef) => InferenceClient;
  logger: Logger;
}

export interface Recognized {
  inference: ParsedInference;
  /** The model version that answered (the one recorded on the analysis). */
  served: ModelRef;
}

/**
 * Classifies a meal's photo with the model version its routing names: the candidate for the canary's share of
 * meals (deterministic by meal id), the model in use for the rest, and records the outcome per route for the
 * canary watch. A candidate that fails is recorded as its error and the photo goes to the model in use in the
 * same attempt: the canary measures the candidate without making anyone wait for it.
 * `keep` decides whether the answer holds food (else the outcome is needs_input).
 */
export async function recognizeRouted(
  deps: RecognizerDeps,
  mealId: string,
  image: Buffer,
  keep: (r: ParsedInference) => boolean,
): Promise<Recognized> {
  const routing = await deps.routing.get();
  const record = (route: 'current' | 'candidate', ref: ModelRef, outcome: RecognitionOutcome) =>
    deps.routing.recordRecognition(mealId, route, ref, outcome);
  if (routing.candidate && routeFor(mealId, routing.canaryShare) === 'candidate') {
    const candidate = routing.candidate;
    try {
      const inference = await deps.clientFor(candidate).classify(image);
      await record('candidate', candidate, keep(inference) ? 'recognized' : 'needs_input');
      return { inference, served: candidate };
    } catch (err) {
      if (!(err instanceof InferenceError)) throw err;
      await record('candidate', candidate, 'error');
      deps.logger.warn(
        { mealId, code: err.code, version: candidate.version },
        'canary candidate failed; model in use answers',
      );
      return { inference: await deps.clientFor(routing.current).classify(image), served: routing.current };
    }
  }
  try {
    const inference = await deps.clientFor(routing.current).classify(image);
    await record('current', routing.current, keep(inference) ? 'recognized' : 'needs_input');
    return { inference, served: routing.current };
  } catch (err) {
    if (err instanceof InferenceError) await record('current', routing.current, 'error');
    throw err;
  }
}

/** One client per model version, made on first use (each holds only its URL and settings). */
export function clientCache(make: (ref: ModelRef) => InferenceClient): (ref: ModelRef) => InferenceClient {
  const clients = new Map<string, InferenceClient>();
  return (ref) => {
    const key = `${ref.model}\u0000${ref.version ?? ''}`;
    let c = clients.get(key);
    if (!c) {
      c = make(ref);
      clients.set(key, c);
    }
    return c;
  };
}
