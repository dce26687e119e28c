import { createRoute } from '@hono/zod-openapi';
import { roleFirst, STAFF_ROLES } from '../../auth';
import { bearer, err, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import {
  CaseList,
  CaseListQuery,
  CaseParam,
  CaseSchema,
  NoteBody,
  RescreenBody,
  RescreenStarted,
  ResolveBody,
} from '../../schemas/crisis';

/**
 * Staff-only crisis API: cases (list, detail with the audit timeline, acknowledge, notes, resolve) and
 * re-screening journal entries when the screener changes.
 */
const tags = ['crisis'];
// Every crisis route is staff-only, and checks the role before its params, query or body (a user gets 403).
const middleware = [roleFirst(STAFF_ROLES)];
const responses = {
  200: jsonContent(CaseSchema, 'The case'),
  401: err('No or invalid token'),
  403: err('Not staff'),
  404: err('No such case'),
  409: err('The case is not in a state for this'),
  422: err('Invalid input'),
};

export const listCases = createRoute({
  method: 'get',
  path: '/v1/crisis/cases',
  tags,
  summary: 'Cases by status (staff)',
  security: bearer,
  middleware,
  request: { query: CaseListQuery },
  responses: {
    200: jsonContent(CaseList, 'Cases, newest first'),
    401: err('No or invalid token'),
    403: err('Not staff'),
    422: err('Invalid status or limit'),
  },
});

export const getCase = createRoute({
  method: 'get',
  path: '/v1/crisis/cases/{caseId}',
  tags,
  summary: 'A case with its audit timeline (staff)',
  security: bearer,
  middleware,
  request: { params: CaseParam },
  responses,
});

export const acknowledgeCase = createRoute({
  method: 'post',
  path: '/v1/crisis/cases/{caseId}/acknowledge',
  tags,
  summary: 'Acknowledge a case: stops escalation (idempotent)',
  security: bearer,
  middleware,
  request: { params: CaseParam },
  responses,
});

export const addNote = createRoute({
  method: 'post',
  path: '/v1/crisis/cases/{caseId}/notes',
  tags,
  summary: 'Add a staff note to the timeline',
  security: bearer,
  middleware,
  request: { params: CaseParam, ...jsonBody(NoteBody) },
  responses: { ...responses, ...jsonBodyErrors },
});

export const resolveCase = createRoute({
  method: 'post',
  path: '/v1/crisis/cases/{caseId}/resolve',
  tags,
  summary: 'Resolve an acknowledged case with an outcome; follow-ups begin',
  security: bearer,
  middleware,
  request: { params: CaseParam, ...jsonBody(ResolveBody) },
  responses: { ...responses, ...jsonBodyErrors },
});

export const startRescreen = createRoute({
  method: 'post',
  path: '/v1/crisis/rescreens',
  tags,
  summary: 'Re-screen the last N days of journal entries with the current screener (staff)',
  description:
    "Starts (or returns the running) `journal-rescreen-<screenerVersion>` run: it re-screens, in pages, every entry written in the last `days` days that is not yet screened at the current screener version, stores the new screening beside the one it replaces, and opens or joins the person's case where the new tier is higher. An entry is never screened twice for the same version, so repeating a finished re-screen does nothing. Progress: GET /v1/workflows/{workflowId} and /events.",
  security: bearer,
  // The role is checked before the body is read: a user gets 403, never a validation answer.
  middleware,
  request: jsonBody(RescreenBody),
  responses: {
    202: jsonContent(RescreenStarted, 'Started (or the run already going for this screener version)'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    403: err('Not staff'),
    422: err('Invalid days'),
    503: err('Temporal unavailable'),
  },
});
