import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { CRISIS_PRIORITY } from '../../activities/crisis';
import { createTextCipher } from '../../crypto/text-cipher';
import { createJournalRepository, type JournalRow, type StoredScreening } from '../../db/repositories/journal';
import { crisisResourcesFor, safeMessage } from '../../domain/crisis';
import { QUEUES } from '../../temporal/queues';
import { StatusKey, UserIdKey } from '../../temporal/search-attributes';
import type { JournalScreeningInput } from '../../workflows/journal-screening';
import { caller, isStaff } from '../auth';
import type { ApiDeps, App } from '../deps';
import { ErrorEnvelopeSchema, notFound } from '../errors';
import { createIdempotentStarter } from '../idempotent-start';
import { IdempotencyHeader, UUID_RE } from '../schemas/meals';

import { EntryBody, MAX_JOURNAL_TEXT } from '../schemas/journal';
export { MAX_JOURNAL_TEXT };

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});

const journalWorkflowId = (entryId: string) => `journal-${entryId}`;

export function registerJournalRoutes(app: App, deps: ApiDeps): void {
  const journal = createJournalRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.config.IDEMPOTENCY_TTL_HOURS);
  const cipher = createTextCipher(deps.secrets.encryptionKeys);

  const view = (entry: JournalRow, owner: boolean) => {
    const s = entry.screening as StoredScreening | null;
    const flagged = s && s.tier !== 'none';
    return {
      entryId: entry.id,
      workflowId: entry.workflowId,
      createdAt: entry.createdAt.toISOString(),
      mood: entry.mood,
      locale: entry.locale,
      screening: s
        ? { status: 'screened', tier: s.tier, ruleVersion: s.ruleVersion }
        : { status: 'pending', tier: null, ruleVersion: null },
      // Only the author reads their words; staff review cases through the case view.
      // After the retention period the text is gone (null, with the date); mood and screening remain.
      ...(owner
        ? {
            text: entry.textEncrypted === null ? null : cipher.decrypt(entry.textEncrypted, entry.id),
            ...(entry.textDeletedAt ? { textDeletedAt: entry.textDeletedAt.toISOString() } : {}),
          }
        : {}),
      ...(owner && (flagged || s?.thirdParty)
        ? {
            support: {
              message: safeMessage(s!.tier as never, entry.locale),
              resources: crisisResourcesFor(entry.locale),
            },
          }
        : {}),
    };
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/journal-entries',
      tags: ['journal'],
      summary: 'Write a journal entry; it is screened for risk and flagged entries reach trained staff',
      security: [{ bearer: [] }],
      request: {
        headers: IdempotencyHeader,
        body: { content: { 'application/json': { schema: EntryBody } }, required: true },
      },
      responses: {
        202: {
          content: { 'application/json': { schema: z.object({ entryId: z.string(), workflowId: z.string() }) } },
          description: 'Stored; screening started',
        },
        400: err('Malformed JSON'),
        401: err('No or invalid token'),
        409: err('Idempotency-Key reused with another body'),
        422: err('Invalid entry'),
        503: err('Temporal unavailable'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const userId = caller(c).sub;
      const newId = randomUUID();
      const r = await startOnce({
        userId,
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        request: ['POST /v1/journal-entries', body],
        resourceType: 'journal_entry',
        resourceId: newId,
        what: 'entry',
        insert: (tx) =>
          createJournalRepository(tx).insert({
            id: newId,
            userId,
            textEncrypted: cipher.encrypt(body.text, newId),
            mood: body.mood ?? null,
            locale: body.locale ?? 'en-US',
            workflowId: journalWorkflowId(newId),
          }),
        start: () =>
          deps.temporal.workflow.start('journalScreening', {
            workflowId: journalWorkflowId(newId),
            taskQueue: QUEUES.critical,
            priority: CRISIS_PRIORITY,
            args: [{ entryId: newId, userId, requestId: c.get('requestId') } satisfies JournalScreeningInput],
            typedSearchAttributes: [
              { key: UserIdKey, value: userId },
              { key: StatusKey, value: 'queued' },
            ],
          }),
        undo: () => journal.delete(newId),
      });
      const entryId = r.resourceId;
      const workflowId = journalWorkflowId(entryId);
      if (r.replayed) c.header('Idempotent-Replayed', 'true');
      c.header('Location', `/v1/journal-entries/${entryId}`);
      return c.json({ entryId, workflowId }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/journal-entries/{entryId}',
      tags: ['journal'],
      summary: 'An entry with its screening status (the text for its author only)',
      security: [{ bearer: [] }],
      request: { params: z.object({ entryId: z.string() }) },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ entryId: z.string() }).passthrough() } },
          description: 'The entry',
        },
        401: err('No or invalid token'),
        404: err('No such entry for this caller'),
      },
    }),
    async (c) => {
      const { entryId } = c.req.valid('param');
      const who = caller(c);
      if (!UUID_RE.test(entryId)) throw notFound('journal_entry', entryId);
      const entry = isStaff(who) ? await journal.get(entryId) : await journal.getOwned(entryId, who.sub);
      if (!entry) throw notFound('journal_entry', entryId);
      return c.json(view(entry, entry.userId === who.sub), 200);
    },
  );
}
