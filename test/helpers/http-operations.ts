import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** A small universe, so that random requests often meet: conflicts, re-adds and deletes of what exists. */
export const EPICS = ['E1', 'E2', 'E3', 'E4', 'E5'];
export const TASKS = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'];
export const BUGS = ['B1', 'B2', 'B3'];

/** One request of a mutation route, with the route as the OpenAPI document spells it and its path ids. */
export interface Mutation {
  method: 'POST' | 'PUT' | 'DELETE';
  url: string;
  route: string;
  ids: string[];
  body?: unknown;
  /** Sent with a revision that is no longer current: must be answered 412. */
  stale?: boolean;
}

const epic = fc.constantFrom(...EPICS);
const task = fc.constantFrom(...TASKS);
const bug = fc.constantFrom(...BUGS);
const some = <T>(arb: fc.Arbitrary<T>) => fc.uniqueArray(arb, { maxLength: 2 });

const dictionary = fc.dictionary(epic, fc.record({ Tasks: some(task), Bugs: some(bug), Epics: some(epic) }), {
  maxKeys: 4,
});

const at = (route: string, ids: string[]) => ({
  route,
  ids,
  url: route.replace(/\{\w+\}/g, () => encodeURIComponent(ids.shift() as string)),
});

function mutation(method: Mutation['method'], route: string, ids: string[], body?: unknown): Mutation {
  const { url } = at(route, [...ids]);
  return { method, url, route, ids, ...(body === undefined ? {} : { body }) };
}

/** Every mutation route of SPEC section 3, with arguments drawn from the small universe. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  dictionary.map((body) => mutation('PUT', '/v1/backlog', [], body)),
  dictionary.map((body) => mutation('POST', '/v1/backlog', [], body)),
  fc
    .record({ id: epic, tasks: some(task), bugs: some(bug), epics: some(epic) })
    .map((body) => mutation('POST', '/v1/epics', [], body)),
  epic.map((id) => mutation('DELETE', '/v1/epics/{epicId}', [id])),
  fc
    .tuple(epic, fc.constantFrom('task', 'bug'), fc.oneof(task, bug))
    .map(([id, type, item]) => mutation('POST', '/v1/epics/{epicId}', [id], { type, id: item })),
  fc.tuple(epic, bug).map(([id, item]) => mutation('POST', '/v1/epics/{epicId}/bugs', [id], { id: item })),
  fc.tuple(epic, epic).map(([id, child]) => mutation('POST', '/v1/epics/{epicId}/epics', [id], { id: child })),
  fc.tuple(epic, epic).map(([id, child]) => mutation('DELETE', '/v1/epics/{epicId}/epics/{childId}', [id, child])),
  fc.tuple(task, epic).map(([id, owner]) => mutation('POST', '/v1/tasks', [], { id, epic: owner })),
  task.map((id) => mutation('DELETE', '/v1/tasks/{taskId}', [id])),
  fc.tuple(bug, epic).map(([id, owner]) => mutation('POST', '/v1/bugs', [], { id, epic: owner })),
  bug.map((id) => mutation('DELETE', '/v1/bugs/{bugId}', [id])),
);

/** Mostly current requests, some sent with a stale If-Match. */
export const mutationsArb = fc.array(
  fc.tuple(mutationArb, fc.nat(9)).map(([request, roll]) => ({ ...request, stale: roll === 0 })),
  { minLength: 1, maxLength: 25 },
);

export function inject(app: FastifyInstance, request: Mutation, headers: Record<string, string> = {}) {
  const options: InjectOptions = {
    method: request.method,
    url: request.url,
    headers,
    ...(request.body === undefined ? {} : { payload: request.body as object }),
  };
  return app.inject(options);
}

export interface EpicState {
  id: string;
  status: string;
  tasks: string[];
  bugs: string[];
  epics: string[];
}

/** GET /v1/backlog: the epics and the revision (ETag). */
export async function backlogOf(app: FastifyInstance): Promise<{ epics: EpicState[]; revision: number }> {
  const response = await app.inject({ url: '/v1/backlog' });
  if (response.statusCode !== 200) throw new Error(`GET /v1/backlog answered ${response.statusCode}`);
  return { epics: response.json().epics, revision: Number(JSON.parse(String(response.headers.etag))) };
}
