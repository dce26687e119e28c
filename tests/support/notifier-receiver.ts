import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Notifier } from '../../src/adapters/notify';
import { type FakeWebhookReceiver, startFakeWebhookReceiver } from './fake-webhook-receiver';

/**
 * What the notifier test files share: the webhook signing secret, one fake webhook receiver per file, and the
 * notifiers a test opened. `useNotifierReceiver()` starts the receiver before the file's tests (`receiver` is
 * that one from then on), closes every `track`ed notifier and resets the receiver after each test, and closes
 * the receiver after the last.
 */
export const SECRET = 'whsec_test_0123456789abcdef';

export let receiver: FakeWebhookReceiver;
const opened: Notifier[] = [];
export const track = <T extends Notifier>(n: T): T => (opened.push(n), n);

export function useNotifierReceiver(): void {
  beforeAll(async () => {
    receiver = await startFakeWebhookReceiver({ secret: SECRET });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((n) => n.close()));
    receiver.reset();
  });
  afterAll(() => receiver.close());
}
