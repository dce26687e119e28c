import { createRoute } from '@hono/zod-openapi';
import { bearer, err, jsonBody, jsonContent } from '../../schemas/common';
import { CaseList, CaseListQuery, CaseParam, CaseSchema, NoteBody, ResolveBody } from '../../schemas/crisis';

/** Staff-only crisis case API: list, detail with the audit timeline, acknowledge, notes, resolve. */
const tags = ['crisis'];
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
  request: { query: CaseListQuery },
  responses: {
    200: jsonContent(CaseList, 'Cases, newest first'),
    401: err('No or invalid token'),
    403: err('Not staff'),
  },
});

export const getCase = createRoute({
  method: 'get',
  path: '/v1/crisis/cases/{caseId}',
  tags,
  summary: 'A case with its audit timeline (staff)',
  security: bearer,
  request: { params: CaseParam },
  responses,
});

export const acknowledgeCase = createRoute({
  method: 'post',
  path: '/v1/crisis/cases/{caseId}/acknowledge',
  tags,
  summary: 'Acknowledge a case: stops escalation (idempotent)',
  security: bearer,
  request: { params: CaseParam },
  responses,
});

export const addNote = createRoute({
  method: 'post',
  path: '/v1/crisis/cases/{caseId}/notes',
  tags,
  summary: 'Add a staff note to the timeline',
  security: bearer,
  request: { params: CaseParam, ...jsonBody(NoteBody) },
  responses,
});

export const resolveCase = createRoute({
  method: 'post',
  path: '/v1/crisis/cases/{caseId}/resolve',
  tags,
  summary: 'Resolve an acknowledged case with an outcome; follow-ups begin',
  security: bearer,
  request: { params: CaseParam, ...jsonBody(ResolveBody) },
  responses,
});
