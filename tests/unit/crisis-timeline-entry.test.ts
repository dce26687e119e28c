import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { timelineEntry } from '../../src/api/services/crisis.service';
import { createTextCipher } from '../../src/crypto/text-cipher';
import type { CaseEventRow } from '../../src/db/repositories/crisis';

/** The case view's timeline: a note is decrypted for staff, and one that cannot be is shown as unreadable. */
const ring = (id: string) => createTextCipher([{ id, key: randomBytes(32) }]);
const event = (data: Record<string, unknown>): CaseEventRow =>
  ({
    id: 'ev-1',
    type: 'note',
    actor: 'staff-1',
    at: new Date('2026-12-01T05:00:00Z'),
    data,
  }) as unknown as CaseEventRow;

describe('timelineEntry', () => {
  it('decrypts a note bound to its event id', () => {
    const cipher = ring('k1');
    const e = timelineEntry(event({ noteEncrypted: cipher.encrypt('called, safe tonight', 'ev-1') }), cipher);
    expect(e).toEqual({
      type: 'note',
      actor: 'staff-1',
      at: '2026-12-01T05:00:00.000Z',
      data: { note: 'called, safe tonight' },
    });
  });

  it('shows a note under a retired key as unreadable instead of failing the case view', () => {
    const old = ring('old');
    const e = timelineEntry(event({ noteEncrypted: old.encrypt('x', 'ev-1'), level: 1 }), ring('new'));
    expect(e.data).toEqual({ level: 1, note: null, noteUnreadable: 'wrapping_key_unknown' });
  });

  it('shows a damaged note as unreadable (tampered)', () => {
    const cipher = ring('k1');
    const moved = cipher.encrypt('x', 'another-event');
    expect(timelineEntry(event({ noteEncrypted: moved }), cipher).data).toEqual({
      note: null,
      noteUnreadable: 'tampered',
    });
  });
});
