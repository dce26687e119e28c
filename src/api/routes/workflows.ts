import { createRoute, z } from '@hono/zod-openapi';
import { caller } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema } from '../errors';
import { workflowTypes } from '../workflow-catalog';
import { describeOwnedRun, listRuns, RUN_STATUSES, runDetail, WORKFLOW_TYPES } from '../workflow-views';

const RunSummarySchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: z.string(),
    businessStatus: z.string().optional(),
    userId: z.string().optional(),
    startedAt: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .openapi('RunSummary');
const RunDetailSchema = RunSummarySchema.extend({
  progress: z.unknown(),
  result: z.unknown().optional(),
  error: z.string().optional(),
}).openapi('RunDetail');
const errors = {
  401: { content: { 'application/json': { schema: ErrorEnvelopeSchema } }, description: 'No or invalid token' },
  404: { content: { 'application/json': { schema: ErrorEnvelopeSchema } }, description: 'No such run for this caller' },
  422: { content: { 'application/json': { schema: ErrorEnvelopeSchema } }, description: 'Invalid parameters' },
};
const IdParam = z.object({ workflowId: z.string().min(1).max(256) });

export function registerWorkflowRoutes(app: App, deps: ApiDeps): void {
  const ns = deps.config.TEMPORAL_NAMESPACE;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workflow-types',
      tags: ['workflows'],
      summary: 'Every workflow type with its input schema and step policy table',
      security: [{ bearer: [] }],
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ items: z.array(z.unknown()) }) } },
          description: 'The workflow types',
        },
        401: errors[401],
      },
    }),
    (c) => c.json({ items: workflowTypes() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workflows',
      tags: ['workflows'],
      summary: "The caller's runs (staff/admin: all), from Temporal visibility",
      security: [{ bearer: [] }],
      request: {
        query: z.object({
          type: z.enum(WORKFLOW_TYPES).optional(),
          status: z.enum(RUN_STATUSES).optional(),
          cursor: z.string().max(4096).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({ items: z.array(RunSummarySchema), nextCursor: z.string().nullable() }),
            },
          },
          description: 'A page of runs',
        },
        ...errors,
      },
    }),
    async (c) => c.json(await listRuns(deps.temporal, ns, { caller: caller(c), ...c.req.valid('query') }), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workflows/{workflowId}',
      tags: ['workflows'],
      summary: 'One run: status, progress, result or error',
      security: [{ bearer: [] }],
      request: { params: IdParam },
      responses: {
        200: { content: { 'application/json': { schema: RunDetailSchema } }, description: 'The run' },
        ...errors,
      },
    }),
    async (c) => c.json(await runDetail(deps.temporal, c.req.valid('param').workflowId, caller(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workflows/{workflowId}/cancel',
      tags: ['workflows'],
      summary: 'Request cancellation of a running run',
      security: [{ bearer: [] }],
      request: { params: IdParam },
      responses: {
        202: {
          content: {
            'application/json': { schema: z.object({ workflowId: z.string(), status: z.literal('cancelling') }) },
          },
          description: 'Cancellation requested',
        },
        409: {
          content: { 'application/json': { schema: ErrorEnvelopeSchema } },
          description: 'The run is not running',
        },
        ...errors,
      },
    }),
    async (c) => {
      const { workflowId } = c.req.valid('param');
      const { handle, desc } = await describeOwnedRun(deps.temporal, workflowId, caller(c));
      if (desc.status.name !== 'RUNNING') {
        throw new AppError(
          'conflict',
          'not_running',
          `The run ${workflowId} is ${desc.status.name.toLowerCase()}, not running`,
        );
      }
      await handle.cancel();
      return c.json({ workflowId, status: 'cancelling' as const }, 202);
    },
  );
}
