import { InferenceError } from './errors';
import { normalizeLabel } from './labels';

/**
 * Reading a KServe v2 (Open Inference Protocol) infer response into `{ items: [{label, confidence, grams?}] }`.
 *
 * Accepted output layouts, tried in this order:
 * 1. Parallel tensors: a BYTES output named `label`/`labels`, an FP output named `confidence`/`score`/
 *    `scores`/`probabilities` of the same length, and optionally `grams` (estimated portion weight).
 * 2. Triton's classification extension: BYTES strings `"<score>:<index>[:<label>]"`.
 * 3. A single BYTES output holding JSON: `[{label, score|confidence, grams?}]` (Hugging Face style) or
 *    `{items|predictions: [...]}`.
 * Tensor `data` may be flat or nested (the spec allows both); BYTES elements with the parameter
 * `content_type: "base64"` are decoded.
 *
 * Values are checked, not coerced: a confidence outside [0, 1] (logits, percentages) or label/score
 * tensors of different lengths mean the model's contract differs from ours, and guessing would put
 * wrong foods in someone's diary. Those are `malformed_response` (not retryable).
 */

export interface ClassifiedItem {
  /** Normalised with `normalizeLabel`. */
  label: string;
  /** 0..1. */
  confidence: number;
  /** Estimated portion weight, when the model provides one. */
  grams?: number;
}

export interface ParsedInference {
  model: string;
  modelVersion?: string;
  /** Highest confidence first; one entry per label. */
  items: ClassifiedItem[];
}

interface V2Output {
  name: string;
  datatype?: string;
  data: unknown[];
  parameters?: Record<string, unknown>;
}

const LABEL_NAMES = ['label', 'labels'];
const CONFIDENCE_NAMES = ['confidence', 'confidences', 'score', 'scores', 'probability', 'probabilities'];
const GRAMS_NAMES = ['grams', 'gram'];
/** Float32 rounding can put a softmax output a hair above 1; more than this is not a probability. */
const CONFIDENCE_EPSILON = 1e-4;

export function parseInferResponse(body: unknown, requestedModel: string, maxItems: number): ParsedInference {
  if (!isObject(body) || !Array.isArray(body.outputs)) throw malformed('the answer has no "outputs" list');
  const outputs = body.outputs.map(toOutput);
  const model = typeof body.model_name === 'string' && body.model_name ? body.model_name : requestedModel;
  const modelVersion = typeof body.model_version === 'string' && body.model_version ? body.model_version : undefined;

  const raw = fromParallelTensors(outputs) ?? fromClassificationStrings(outputs) ?? fromJsonOutput(outputs);
  if (!raw)
    throw malformed(
      `no usable output among [${outputs
        .map((o) => o.name)
        .join(', ')
        .slice(0, 120)}]`,
    );

  return { model, ...(modelVersion ? { modelVersion } : {}), items: finish(raw, maxItems) };
}

function toOutput(o: unknown): V2Output {
  if (!isObject(o) || typeof o.name !== 'string' || !Array.isArray(o.data)) {
    throw malformed('an output lacks a name or data');
  }
  return {
    name: o.name,
    ...(typeof o.datatype === 'string' ? { datatype: o.datatype } : {}),
    data: o.data,
    ...(isObject(o.parameters) ? { parameters: o.parameters } : {}),
  };
}

function find(outputs: V2Output[], names: string[]): V2Output | undefined {
  return outputs.find((o) => names.includes(o.name.toLowerCase()));
}

function fromParallelTensors(outputs: V2Output[]): RawItem[] | undefined {
  const labelOut = find(outputs, LABEL_NAMES);
  if (!labelOut) return undefined;
  const confOut = find(outputs, CONFIDENCE_NAMES);
  if (!confOut) throw malformed(`output "${labelOut.name}" has no matching confidence/score output`);
  const labels = bytesValues(labelOut);
  const confidences = flatten(confOut.data);
  if (labels.length !== confidences.length) {
    throw malformed(`${labels.length} labels but ${confidences.length} confidences`);
  }
  const gramsOut = find(outputs, GRAMS_NAMES);
  const grams = gramsOut ? flatten(gramsOut.data) : undefined;
  if (grams && grams.length !== labels.length)
    throw malformed(`${labels.length} labels but ${grams.length} gram values`);
  return labels.map((label, i) => ({ label, confidence: confidences[i], grams: grams?.[i] }));
}

const CLASSIFICATION_STRING = /^\s*([-+\d.eE]+):(\d+)(?::(.*))?$/s;

function fromClassificationStrings(outputs: V2Output[]): RawItem[] | undefined {
  for (const out of outputs) {
    if (out.datatype !== 'BYTES') continue;
    const values = bytesValues(out);
    if (values.length === 0 || !values.every((v) => CLASSIFICATION_STRING.test(v))) continue;
    return values.map((v) => {
      const [, score, index, label] = CLASSIFICATION_STRING.exec(v)!;
      return { label: label || `class ${index}`, confidence: Number(score) };
    });
  }
  return undefined;
}

function fromJsonOutput(outputs: V2Output[]): RawItem[] | undefined {
  const bytesOutputs = outputs.filter((o) => o.datatype === 'BYTES' || o.datatype === undefined);
  if (bytesOutputs.length !== 1) return undefined;
  const values = bytesValues(bytesOutputs[0]!);
  if (values.length !== 1) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(values[0]!);
  } catch {
    throw malformed(`output "${bytesOutputs[0]!.name}" is neither labels nor JSON`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : isObject(parsed) && Array.isArray(parsed.items)
      ? parsed.items
      : isObject(parsed) && Array.isArray(parsed.predictions)
        ? parsed.predictions
        : undefined;
  if (!list) throw malformed('the JSON output is not a list of {label, confidence}');
  return list.map((entry) => {
    if (!isObject(entry)) throw malformed('a JSON prediction is not an object');
    return { label: entry.label, confidence: entry.confidence ?? entry.score, grams: entry.grams };
  });
}

interface RawItem {
  label: unknown;
  confidence: unknown;
  grams?: unknown;
}

function finish(raw: RawItem[], maxItems: number): ClassifiedItem[] {
  const best = new Map<string, ClassifiedItem>();
  for (const r of raw) {
    if (typeof r.label !== 'string' || !normalizeLabel(r.label)) throw malformed('a label is empty or not text');
    const label = normalizeLabel(r.label);
    const c = r.confidence;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0 || c > 1 + CONFIDENCE_EPSILON) {
      throw malformed(`confidence for "${label.slice(0, 40)}" is not a probability between 0 and 1`);
    }
    const item: ClassifiedItem = { label, confidence: Math.min(c, 1) };
    if (r.grams !== undefined && r.grams !== null) {
      if (typeof r.grams !== 'number' || !Number.isFinite(r.grams) || r.grams < 0) {
        throw malformed(`grams for "${label.slice(0, 40)}" is not a non-negative number`);
      }
      item.grams = r.grams;
    }
    // Several raw labels can normalise to one ("Apple_Pie", "apple pie"): keep the most confident.
    const prev = best.get(label);
    if (!prev || prev.confidence < item.confidence) best.set(label, item);
  }
  return [...best.values()]
    .sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label))
    .slice(0, maxItems);
}

function bytesValues(out: V2Output): string[] {
  const base64 = out.parameters?.content_type === 'base64';
  return flatten(out.data).map((v) => {
    if (typeof v !== 'string') throw malformed(`output "${out.name}" holds non-text values`);
    return base64 ? Buffer.from(v, 'base64').toString('utf8') : v;
  });
}

function flatten(data: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of data) {
    if (Array.isArray(v)) out.push(...flatten(v));
    else out.push(v);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function malformed(why: string): InferenceError {
  return new InferenceError('malformed_response', `model server answer not understood: ${why}`);
}
