import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server speaking enough of the Open Inference Protocol (KServe v2) to test the client over a
 * socket: readiness, model metadata and infer, with deterministic answers and injectable faults.
 *
 * Answers: `answerFor(sha256, items)` maps the SHA-256 of the decoded image to labels; otherwise
 * `defaultItems` is used. `outputStyle` chooses the output layout (parallel tensors, Triton classification
 * strings or one JSON BYTES output).
 *
 * Versions (`/v2/models/{model}/versions/{version}/...`): `answerForVersion(version, sha256, items)` and
 * `versionDefaults` give a version its own answers (a better or worse candidate); `failingVersions` answer 500.
 * The unversioned path answers as version `1`.
 *
 * Faults (consumed in order by infer requests): `failNext(n, status)`, `malformedNext()`, `rawNext(...)`.
 * `delayMs` delays every infer answer (timeouts); `serverReady` / `notReadyModels` drive readiness.
 */

export interface FakeItem {
  label: string;
  confidence: number;
  grams?: number;
}

export type OutputStyle = 'tensors' | 'classification' | 'json';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface RecordedInput {
  name: unknown;
  datatype: unknown;
  shape: unknown;
  parameters: unknown;
}

interface ScriptedResponse {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

export interface FakeInferenceServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Model names served; others answer 404. */
  models: Set<string>;
  serverReady: boolean;
  notReadyModels: Set<string>;
  delayMs: number;
  outputStyle: OutputStyle;
  defaultItems: FakeItem[];
  /** When set, requests without exactly this Authorization header get 401. */
  requiredAuthorization: string | undefined;
  readonly requests: RecordedRequest[];
  /** Infer requests received (including ones answered with a fault). */
  inferCount: number;
  /** Infer requests per version (`1` for the unversioned path). */
  readonly inferByVersion: Map<string, number>;
  /** Versions served besides `1`; others answer 404. */
  versions: Set<string>;
  /** A version's answer for photos without their own (`answerForVersion`). */
  versionDefaults: Map<string, FakeItem[]>;
  /** Versions whose every infer answers 500 (a broken candidate). */
  failingVersions: Set<string>;
  answerForVersion(version: string, sha256: string, items: FakeItem[]): void;
  lastInput: RecordedInput | undefined;
  /** The decoded image bytes of the last valid infer request. */
  lastImage: Buffer | undefined;
  answerFor(sha256: string, items: FakeItem[]): void;
  failNext(times: number, status?: number, headers?: Record<string, string>): void;
  malformedNext(): void;
  rawNext(status: number, body: string, contentType?: string): void;
  close(): Promise<void>;
}

export async function startFakeInferenceServer(opts: { models?: string[] } = {}): Promise<FakeInferenceServer> {
  const answers = new Map<string, FakeItem[]>();
  const versionAnswers = new Map<string, FakeItem[]>();
  const script: ScriptedResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const state = {
    models: new Set(opts.models ?? ['food-classifier']),
    serverReady: true,
    notReadyModels: new Set<string>(),
    delayMs: 0,
    outputStyle: 'tensors' as OutputStyle,
    defaultItems: [{ label: 'unknown_food', confidence: 0.5 }] as FakeItem[],
    requiredAuthorization: undefined as string | undefined,
    requests: [] as RecordedRequest[],
    inferCount: 0,
    inferByVersion: new Map<string, number>(),
    versions: new Set<string>(['1']),
    versionDefaults: new Map<string, FakeItem[]>(),
    failingVersions: new Set<string>(),
    lastInput: undefined as RecordedInput | undefined,
    lastImage: undefined as Buffer | undefined,
  };

  const send = (res: http.ServerResponse, r: ScriptedResponse) => {
    res.writeHead(r.status, { 'content-type': r.contentType, ...r.headers });
    res.end(r.body);
  };
  const json = (res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>) =>
    send(res, { status, body: JSON.stringify(body), contentType: 'application/json', ...(headers ? { headers } : {}) });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0]!;
    state.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
    if (state.requiredAuthorization !== undefined && req.headers.authorization !== state.requiredAuthorization) {
      return json(res, 401, { error: 'unauthorized' });
    }
    if (req.method === 'GET' && path.endsWith('/v2/health/ready')) {
      return state.serverReady ? json(res, 200, { ready: true }) : json(res, 503, { ready: false });
    }
    if (req.method === 'GET' && path.endsWith('/v2/health/live')) return json(res, 200, { live: true });

    const m = /\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
    if (!m) return json(res, 404, { error: `no route for ${path}` });
    const model = decodeURIComponent(m[1]!);
    if (!state.models.has(model)) return json(res, 404, { error: `Model with name ${model} does not exist.` });
    const version = m[2] === undefined ? '1' : decodeURIComponent(m[2]);
    if (!state.versions.has(version)) return json(res, 404, { error: `Model ${model} has no version ${version}.` });

    const endpoint = m[3];
    if (endpoint === '/ready' && req.method === 'GET') {
      const ready = state.serverReady && !state.notReadyModels.has(model);
      return ready ? json(res, 200, { name: model, ready: true }) : json(res, 503, { name: model, ready: false });
    }
    if (endpoint === undefined && req.method === 'GET') {
      return json(res, 200, {
        name: model,
        versions: ['1'],
        platform: 'fake',
        inputs: [{ name: 'image', datatype: 'BYTES', shape: [-1] }],
        outputs: [
          { name: 'label', datatype: 'BYTES', shape: [-1] },
          { name: 'confidence', datatype: 'FP32', shape: [-1] },
          { name: 'grams', datatype: 'FP32', shape: [-1] },
        ],
      });
    }
    if (endpoint === '/infer' && req.method === 'POST') return infer(res, model, body, version);
    return json(res, 405, { error: 'method not allowed' });
  };

  const infer = (res: http.ServerResponse, model: string, body: string, version: string) => {
    state.inferCount += 1;
    state.inferByVersion.set(version, (state.inferByVersion.get(version) ?? 0) + 1);
    const respond = () => {
      const scripted = script.shift();
      if (scripted) return send(res, scripted);
      if (state.failingVersions.has(version)) return json(res, 500, { error: `version ${version} crashed` });
      if (state.notReadyModels.has(model)) return json(res, 503, { error: `model ${model} is not ready` });
      let request: { id?: unknown; inputs?: unknown };
      try {
        request = JSON.parse(body);
      } catch {
        return json(res, 400, { error: 'request body is not JSON' });
      }
      const input = Array.isArray(request.inputs)
        ? (request.inputs[0] as Record<string, unknown> | undefined)
        : undefined;
      if (!input) return json(res, 400, { error: 'expected one input tensor' });
      state.lastInput = {
        name: input.name,
        datatype: input.datatype,
        shape: input.shape,
        parameters: input.parameters,
      };
      const data = input.data;
      if (
        input.name !== 'image' ||
        input.datatype !== 'BYTES' ||
        JSON.stringify(input.shape) !== '[1]' ||
        !Array.isArray(data) ||
        data.length !== 1 ||
        typeof data[0] !== 'string' ||
        !/^[A-Za-z0-9+/]+={0,2}$/.test(data[0])
      ) {
        return json(res, 400, { error: "input 'image' must be BYTES, shape [1], one base64 string" });
      }
      const image = Buffer.from(data[0], 'base64');
      if (!(image[0] === 0xff && image[1] === 0xd8)) return json(res, 400, { error: 'image is not a JPEG' });
      state.lastImage = image;
      const sha = createHash('sha256').update(image).digest('hex');
      const items =
        (version === '1'
          ? undefined
          : (versionAnswers.get(`${version}:${sha}`) ?? state.versionDefaults.get(version))) ??
        answers.get(sha) ??
        state.defaultItems;
      return json(res, 200, {
        model_name: model,
        model_version: version,
        ...(typeof request.id === 'string' ? { id: request.id } : {}),
        outputs: outputsFor(items, state.outputStyle),
      });
    };
    if (state.delayMs <= 0) return respond();
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) respond();
    }, state.delayMs);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    port,
    answerFor(sha256: string, items: FakeItem[]) {
      answers.set(sha256, items);
    },
    answerForVersion(version: string, sha256: string, items: FakeItem[]) {
      versionAnswers.set(`${version}:${sha256}`, items);
    },
    failNext(times: number, status = 503, headers?: Record<string, string>) {
      for (let i = 0; i < times; i++) {
        script.push({
          status,
          body: JSON.stringify({ error: `injected failure ${status}` }),
          contentType: 'application/json',
          ...(headers ? { headers } : {}),
        });
      }
    },
    malformedNext() {
      script.push({ status: 200, body: '{"outputs": [ {"name": "label", "data": ', contentType: 'application/json' });
    },
    rawNext(status: number, body: string, contentType = 'application/json') {
      script.push({ status, body, contentType });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function outputsFor(items: FakeItem[], style: OutputStyle): unknown[] {
  if (style === 'json') {
    return [
      {
        name: 'predictions',
        datatype: 'BYTES',
        shape: [1],
        data: [
          JSON.stringify(
            items.map((i) => ({
              label: i.label,
              score: i.confidence,
              ...(i.grams !== undefined ? { grams: i.grams } : {}),
            })),
          ),
        ],
      },
    ];
  }
  if (style === 'classification') {
    return [
      {
        name: 'output',
        datatype: 'BYTES',
        shape: [items.length],
        data: items.map((i, n) => `${i.confidence}:${n}:${i.label}`),
      },
    ];
  }
  const outputs: unknown[] = [
    { name: 'label', datatype: 'BYTES', shape: [items.length], data: items.map((i) => i.label) },
    { name: 'confidence', datatype: 'FP32', shape: [items.length], data: items.map((i) => i.confidence) },
  ];
  if (items.some((i) => i.grams !== undefined)) {
    outputs.push({ name: 'grams', datatype: 'FP32', shape: [items.length], data: items.map((i) => i.grams ?? 0) });
  }
  return outputs;
}
