import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { SPEC_EXAMPLE } from './backlogs.js';

export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path as the OpenAPI document spells it. */
  path: string;
  /** A request that succeeds on the SPEC example. */
  url: string;
  body?: unknown;
  success: 200 | 201;
}

/** One succeeding request for every route of SPEC sections 3 and 8 but the stream, on the SPEC example. */
export const API_ROUTES: readonly RouteCase[] = [
  { method: 'GET', path: '/v1/backlog', url: '/v1/backlog', success: 200 },
  { method: 'POST', path: '/v1/backlog', url: '/v1/backlog', body: { EpicF: { Tasks: ['TaskF1'] } }, success: 200 },
  { method: 'PUT', path: '/v1/backlog', url: '/v1/backlog', body: SPEC_EXAMPLE, success: 200 },
  { method: 'GET', path: '/v1/export', url: '/v1/export', success: 200 },
  { method: 'GET', path: '/v1/epics', url: '/v1/epics?status=wip', success: 200 },
  { method: 'POST', path: '/v1/epics', url: '/v1/epics', body: { id: 'EpicF', epics: ['EpicC'] }, success: 201 },
  { method: 'GET', path: '/v1/epics/blocked', url: '/v1/epics/blocked?bug_id=BugB1', success: 200 },
  { method: 'GET', path: '/v1/epics/{epicId}', url: '/v1/epics/EpicA', success: 200 },
  { method: 'DELETE', path: '/v1/epics/{epicId}', url: '/v1/epics/EpicD', success: 200 },
  {
    method: 'POST',
    path: '/v1/epics/{epicId}',
    url: '/v1/epics/EpicC',
    body: { type: 'task', id: 'TaskC1' },
    success: 201,
  },
  { method: 'GET', path: '/v1/epics/{epicId}/bugs', url: '/v1/epics/EpicA/bugs', success: 200 },
  { method: 'POST', path: '/v1/epics/{epicId}/bugs', url: '/v1/epics/EpicC/bugs', body: { id: 'BugC1' }, success: 201 },
  {
    method: 'POST',
    path: '/v1/epics/{epicId}/epics',
    url: '/v1/epics/EpicE/epics',
    body: { id: 'EpicC' },
    success: 201,
  },
  { method: 'DELETE', path: '/v1/epics/{epicId}/epics/{childId}', url: '/v1/epics/EpicA/epics/EpicB', success: 200 },
  { method: 'GET', path: '/v1/tasks', url: '/v1/tasks', success: 200 },
  { method: 'POST', path: '/v1/tasks', url: '/v1/tasks', body: { id: 'TaskC1', epic: 'EpicC' }, success: 201 },
  { method: 'DELETE', path: '/v1/tasks/{taskId}', url: '/v1/tasks/TaskA1', success: 200 },
  { method: 'GET', path: '/v1/bugs', url: '/v1/bugs', success: 200 },
  { method: 'POST', path: '/v1/bugs', url: '/v1/bugs', body: { id: 'BugB1', epic: 'EpicC' }, success: 201 },
  { method: 'DELETE', path: '/v1/bugs/{bugId}', url: '/v1/bugs/BugE1', success: 200 },
  { method: 'GET', path: '/v1/bugs/{bugId}/blocked-epics', url: '/v1/bugs/BugB1/blocked-epics', success: 200 },
  { method: 'GET', path: '/v1/events', url: '/v1/events?limit=10', success: 200 },
  { method: 'GET', path: '/v1/epics/{epicId}/history', url: '/v1/epics/EpicA/history', success: 200 },
];

/** The route that answers no JSON but a stream that never ends (test/http/event-stream.test.ts). */
export const STREAM_ROUTE = 'GET /v1/events/stream';

export const MUTATIONS = API_ROUTES.filter((route) => route.method !== 'GET');
export const READS = API_ROUTES.filter((route) => route.method === 'GET');
export const WITH_BODY = API_ROUTES.filter((route) => route.body !== undefined);

export const describeRoute = (route: RouteCase) => `${route.method} ${route.path}`;

/** Replaces the backlog with the SPEC example, over HTTP so that it works on any store. */
export async function seedSpecExample(app: FastifyInstance, headers: Record<string, string> = {}): Promise<void> {
  const response = await app.inject({ method: 'PUT', url: '/v1/backlog', headers, payload: SPEC_EXAMPLE });
  expect(response.statusCode, response.body).toBe(200);
}

export function send(app: FastifyInstance, route: RouteCase, headers: Record<string, string> = {}) {
  return app.inject({
    method: route.method,
    url: route.url,
    headers,
    ...(route.body === undefined ? {} : { payload: route.body as object }),
  });
}
