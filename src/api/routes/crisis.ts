import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { createTextCipher } from '../../crypto/text-cipher';
import { type CaseRow, createCrisisRepository } from '../../db/repositories/crisis';
import { acknowledgeUpdate, resolveUpdate } from '../../workflows/crisis-case';
import { requireRole } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema, notFound } from '../errors';
import { UUID_RE } from '../schemas/meals';
import { queryWithin } from '../workflow-views';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
const STAFF = ['staff', 'admin'] as const;
const CASE_STATUSES = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export const RESOLVE_OUTCOMES = [
  'contacted_safe',
  'referred_to_clinician',
  'emergency_services',
  'no_risk_found',
  'unreachable',
] as const;

const CaseParam = z.object({ caseId: z.string() });
const NoteBody = z
  .object({
    note: z
      .string()
      .max(5000)
      .refine((t) => t.trim().length > 0, 'must not be empty'),
  })
  .strict()
  .openapi('CaseNote');
const ResolveBody = z
  .object({ outcome: z.enum(RESOLVE_OUTCOMES), note: z.string().max(5000).optional() })
  .strict()
  .openapi('CaseResolve');
const CaseSchema = z.object({ caseId: z.string() }).passthrough().openapi('CrisisCase');

/** Staff-only crisis case API: list, detail with the audit timeline, acknowledge, notes, resolve. */
export function registerCrisisRoutes(app: App, deps: ApiDeps): void {
  const cases = createCrisisRepository(deps.database.db);
  const cipher = createTextCipher(deps.secrets.encryptionKeys);
  const security = [{ bearer: [] }];

  const summary = (c: CaseRow) => ({
    caseId: c.id,
    userId: c.userId,
    workflowId: c.workflowId,
    status: c.status,
    tier: c.tier,
    escalationLevel: c.level,
    ackDeadline: c.ackDeadline?.toISOString() ?? null,
    openedAt: c.openedAt.toISOString(),
    acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: c.acknowledgedBy,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    outcome: c.outcome,
    closedAt: c.closedAt?.toISOString() ?? null,
  });
  const load = async (caseId: string) => {
    if (!UUID_RE.test(caseId)) throw notFound('crisis_case', caseId);
    const row = await cases.get(caseId);
    if (!row) throw notFound('crisis_case', caseId);
    return row;
  };
  const detail = async (row: CaseRow) => ({
    ...summary(row),
    live: row.status === 'closed' ? null : ((await queryWithin(deps.temporal, row.workflowId, 'progress')) ?? null),
    timeline: (await cases.timeline(row.id)).map((e) => {
      const { noteEncrypted, ...data } = e.data as Record<string, unknown> & { noteEncrypted?: string };
      return {
        type: e.type,
        actor: e.actor,
        at: e.at.toISOString(),
        data: { ...data, ...(noteEncrypted ? { note: cipher.decrypt(noteEncrypted, e.id) } : {}) },
      };
    }),
  });
  /** Runs a case update; a rejected or closed run means the case is not in a state for it (409). */
  const update = async <R>(row: CaseRow, run: () => Promise<R>): Promise<R> => {
    if (row.status === 'closed') throw new AppError('conflict', 'case_closed', 'This case is closed');
    try {
      return await run();
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError)
        throw new AppError(
          'conflict',
          'case_state',
          (e.cause as Error | undefined)?.message ?? 'The case is not in a state for this',
        );
      if (e instanceof WorkflowNotFoundError) throw new AppError('conflict', 'case_closed', 'This case is closed');
      throw e;
    }
  };
  const responses = {
    200: { content: { 'application/json': { schema: CaseSchema } }, description: 'The case' },
    401: err('No or invalid token'),
    403: err('Not staff'),
    404: err('No such case'),
    409: err('The case is not in a state for this'),
    422: err('Invalid input'),
  };
  const caseRoute = (method: 'get' | 'post', path: string, summaryText: string) =>
    createRoute({
      method,
      path,
      tags: ['crisis'],
      summary: summaryText,
      security,
      request: { params: CaseParam },
      responses,
    });
  const json = <T extends z.ZodType>(schema: T) => ({
    body: { content: { 'application/json': { schema } }, required: true },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/crisis/cases',
      tags: ['crisis'],
      summary: 'Cases by status (staff)',
      security,
      request: {
        query: z.object({
          status: z.enum(CASE_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ items: z.array(CaseSchema) }) } },
          description: 'Cases, newest first',
        },
        401: err('No or invalid token'),
        403: err('Not staff'),
      },
    }),
    async (c) => {
      requireRole(c, STAFF);
      const q = c.req.valid('query');
      return c.json({ items: (await cases.list({ status: q.status, limit: q.limit })).map(summary) }, 200);
    },
  );

  app.openapi(caseRoute('get', '/v1/crisis/cases/{caseId}', 'A case with its audit timeline (staff)'), async (c) => {
    requireRole(c, STAFF);
    return c.json(await detail(await load(c.req.valid('param').caseId)), 200);
  });

  app.openapi(
    caseRoute('post', '/v1/crisis/cases/{caseId}/acknowledge', 'Acknowledge a case: stops escalation (idempotent)'),
    async (c) => {
      const who = requireRole(c, STAFF);
      const row = await load(c.req.valid('param').caseId);
      const r = await update(row, () =>
        deps.temporal.workflow
          .getHandle(row.workflowId)
          .executeUpdate(acknowledgeUpdate, { args: [{ staffId: who.sub }] }),
      );
      if (r.duplicate) c.header('Idempotent-Replayed', 'true');
      return c.json(await detail(await load(row.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/crisis/cases/{caseId}/notes',
      tags: ['crisis'],
      summary: 'Add a staff note to the timeline',
      security,
      request: { params: CaseParam, ...json(NoteBody) },
      responses,
    }),
    async (c) => {
      const who = requireRole(c, STAFF);
      const row = await load(c.req.valid('param').caseId);
      if (row.status === 'closed') throw new AppError('conflict', 'case_closed', 'This case is closed');
      const id = randomUUID();
      // Notes can hold health details: encrypted at rest like journal text, bound to their event id.
      await cases.recordEvent({
        caseId: row.id,
        userId: row.userId,
        workflowId: row.workflowId,
        eventKey: `note:${id}`,
        type: 'note',
        actor: who.sub,
        at: new Date(),
        data: { noteEncrypted: cipher.encrypt(c.req.valid('json').note, id) },
        patch: {},
        id,
      });
      return c.json(await detail(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/crisis/cases/{caseId}/resolve',
      tags: ['crisis'],
      summary: 'Resolve an acknowledged case with an outcome; follow-ups begin',
      security,
      request: { params: CaseParam, ...json(ResolveBody) },
      responses,
    }),
    async (c) => {
      const who = requireRole(c, STAFF);
      const row = await load(c.req.valid('param').caseId);
      const body = c.req.valid('json');
      await update(row, () =>
        deps.temporal.workflow
          .getHandle(row.workflowId)
          .executeUpdate(resolveUpdate, { args: [{ staffId: who.sub, outcome: body.outcome }] }),
      );
      if (body.note?.trim()) {
        const id = randomUUID();
        await cases.recordEvent({
          caseId: row.id,
          userId: row.userId,
          workflowId: row.workflowId,
          eventKey: `note:${id}`,
          type: 'note',
          actor: who.sub,
          at: new Date(),
          data: { noteEncrypted: cipher.encrypt(body.note, id) },
          patch: {},
          id,
        });
      }
      return c.json(await detail(await load(row.id)), 200);
    },
  );
}
