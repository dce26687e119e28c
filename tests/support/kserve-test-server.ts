import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { InferenceError, createKServeClient } from '../../src/adapters/inference';
import { photo } from '../fixtures/images';
import { type FakeInferenceServer, startFakeInferenceServer } from './fake-inference-server';

/**
 * What the inference client's test files share: one fake KServe server per file serving MODEL (and a model that
 * can be kept loading), the photo they classify, a client pointed at the server, and the failure it throws.
 * `useKServeTestServer()` starts the server before the file's tests (`server` and `image` are set from then on),
 * puts it back to its defaults after each test, and closes it after the last.
 */
export const MODEL = 'food-classifier';
export let server: FakeInferenceServer;
export let image: Buffer;

export function useKServeTestServer(): void {
  beforeAll(async () => {
    server = await startFakeInferenceServer({ models: [MODEL, 'loading-model'] });
    image = await photo('jpeg', 64, 48);
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.delayMs = 0;
    server.serverReady = true;
    server.notReadyModels.clear();
    server.outputStyle = 'tensors';
    server.requiredAuthorization = undefined;
    server.defaultItems = [{ label: 'unknown_food', confidence: 0.5 }];
  });
}

export const client = (over: Partial<Parameters<typeof createKServeClient>[0]> = {}) =>
  createKServeClient({ baseUrl: server.url, model: MODEL, timeoutMs: 2_000, ...over });

export async function failure(p: Promise<unknown>): Promise<InferenceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InferenceError);
    return err as InferenceError;
  }
  throw new Error('expected an InferenceError');
}

/** A URL on which nothing listens: a port just released by the OS. */
export async function closedPortUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
