import { expect } from 'vitest';
import { NotifyError } from '../../src/adapters/notify';

/** The NotifyError a notification channel's promise rejects with (the test fails if it resolves). */
export async function failure(p: Promise<unknown>): Promise<NotifyError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NotifyError);
    return err as NotifyError;
  }
  throw new Error('expected a NotifyError');
}
