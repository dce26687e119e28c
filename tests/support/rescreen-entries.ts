import type { Payload } from '@temporalio/common';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { createPersonCipher } from '../../src/crypto/person-cipher';
import { createJournalDataKeyRepository } from '../../src/db/repositories/journal-data-keys';
import { SCREENER_VERSION } from '../../src/domain/crisis/screen-entry';
import { loadSecrets } from '../../src/secrets';
import { eventually, type Harness } from './harness';

/** The window the re-screen tests re-screen, in days. */
export const DAYS = 7;

/**
 * Journal entries and re-screen runs as the re-screen tests write and read them: entries written through the API
 * and rewritten in the database, the entries a re-screen would pick up now, and a run's detail and payloads.
 */
export function rescreenEntries(h: () => Harness) {
  const staff = () => h().token('nurse-1', 'staff');
  const write = async (token: string, text: string) => {
    const res = await h().call('POST', '/v1/journal-entries', { token, body: { text, mood: 3 } });
    expect(res.status).toBe(202);
    return res.json as { entryId: string; workflowId: string };
  };
  const row = async (entryId: string) =>
    (
      await h().database.db.execute(
        sql`select screening, screened_at::text as screened_at from app.journal_entries where id = ${entryId}`,
      )
    )[0] as { screening: any; screened_at: string | null };
  const screened = (entryId: string) => eventually(async () => ((await row(entryId)).screening ? true : undefined));
  const setScreening = (entryId: string, screening: unknown) =>
    h().database.db.execute(
      sql`update app.journal_entries set screening = ${JSON.stringify(screening)}::jsonb where id = ${entryId}`,
    );

  /** Entries a re-screen of the last DAYS days would pick up now, split by whether this harness can read them. */
  async function stale() {
    const cipher = createPersonCipher({
      ring: loadSecrets(h().config).encryptionKeys,
      store: createJournalDataKeyRepository(h().database.db),
    });
    const rows = (await h().database.db.execute(
      sql`select id, user_id, text_encrypted from app.journal_entries
        where text_encrypted is not null and created_at >= now() - make_interval(days => ${DAYS})
          and (screening ->> 'screenerVersion') is distinct from ${SCREENER_VERSION}`,
    )) as unknown as { id: string; user_id: string; text_encrypted: string }[];
    let readable = 0;
    for (const r of rows) {
      try {
        await cipher.decrypt(r.user_id, r.text_encrypted, r.id);
        readable++;
      } catch {
        // another file's key, or a text sealed for another test: not this harness's to read
      }
    }
    return { readable, unreadable: rows.length - readable };
  }

  /** The run's detail once its latest run (not `notRunId`) has completed. */
  async function finished(workflowId: string, notRunId?: string) {
    return eventually(
      async () => {
        const res = await h().call('GET', `/v1/workflows/${workflowId}`, { token: await staff() });
        return res.json?.status === 'completed' && res.json.runId !== notRunId ? res.json : undefined;
      },
      60_000,
      300,
    );
  }

  /** Every payload of a run's history, decoded by the service's codec, as text. */
  async function decodedPayloads(workflowId: string, runId?: string): Promise<string[]> {
    const history = await h().temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    const found: Payload[] = [];
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object') return;
      if (v instanceof Uint8Array) return;
      const o = v as Record<string, unknown>;
      if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') {
        found.push(o as Payload);
        return;
      }
      for (const x of Array.isArray(v) ? v : Object.values(o)) walk(x);
    };
    walk(history);
    const decoded = await h().codec.decode(found);
    return decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
  }

  return { staff, write, row, screened, setScreening, stale, finished, decodedPayloads };
}
