import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { BacklogEvent } from '../../src/domain/index.js';
import {
  backlogOf,
  type EpicState,
  inject,
  type Mutation,
  mutationArb,
  mutationsArb,
} from '../helpers/http-operations.js';
import { sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

async function eventsAfter(target: FastifyInstance, after: number): Promise<BacklogEvent[]> {
  const response = await target.inject({ url: `/v1/events?after=${after}&limit=1000` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().events;
}

/** Each sequence starts from a backlog over the universe, so that its requests mostly meet something. */
const SEED = {
  E1: { Tasks: ['T1'], Bugs: ['B1'], Epics: ['E2', 'E3'] },
  E2: { Tasks: ['T2', 'T3'], Bugs: ['B2'], Epics: ['E4'] },
  E3: { Tasks: [], Bugs: ['B1', 'B3'], Epics: [] },
  E4: { Tasks: ['T4'], Bugs: [], Epics: [] },
};

async function reset(target: FastifyInstance): Promise<void> {
  expect((await target.inject({ method: 'PUT', url: '/v1/backlog', payload: SEED })).statusCode).toBe(200);
}

/** The status transitions between two reads of the whole backlog, by epic. */
function statusDifference(before: readonly EpicState[], after: readonly EpicState[]) {
  const from = new Map(before.map((epic) => [epic.id, epic.status]));
  const to = new Map(after.map((epic) => [epic.id, epic.status]));
  return [...new Set([...from.keys(), ...to.keys()])]
    .map((epic) => ({ epic, from: from.get(epic) ?? null, to: to.get(epic) ?? null }))
    .filter((change) => change.from !== change.to)
    .sort((a, b) => a.epic.localeCompare(b.epic));
}

const byEpic = (changes: readonly { epic: string }[]) => [...changes].sort((a, b) => a.epic.localeCompare(b.epic));

/** Sends the request, with a stale If-Match when it asks for one. */
function send(target: FastifyInstance, request: Mutation, revision: number) {
  return inject(target, request, request.stale ? { 'if-match': `"${revision - 1}"` } : {});
}

describe('events of the mutations (SPEC section 8)', () => {
  it('every commit writes exactly one event: its changes are the status difference, its operation the request', async () => {
    const seen = { events: 0, refused: 0, changes: 0 };
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (requests) => {
        await reset(app());
        for (const request of requests) {
          const before = await backlogOf(app());
          const response = await send(app(), request, before.revision);
          const after = await backlogOf(app());
          const events = await eventsAfter(app(), before.revision);
          if (request.stale) expect(response.statusCode).toBe(412);
          if (response.statusCode >= 400) {
            // Refused: nothing written, no event.
            expect([404, 409, 412]).toContain(response.statusCode);
            expect(after.revision).toBe(before.revision);
            expect(events).toEqual([]);
            seen.refused++;
            continue;
          }
          expect([200, 201]).toContain(response.statusCode);
          if (after.revision === before.revision) {
            // A change that changes nothing commits nothing (an import of what is there).
            expect(events).toEqual([]);
            continue;
          }
          expect(events).toHaveLength(1);
          const [event] = events as [BacklogEvent];
          expect(event.seq).toBe(after.revision);
          expect(event.actor).toBeNull();
          // The ids it names: path ids, then a one-item body's `id` and `epic` (docs/api.md).
          const body = (request.body ?? {}) as { id?: unknown; epic?: unknown };
          const named = [body.id, body.epic].filter((id) => typeof id === 'string');
          expect(event.operation).toEqual({
            method: request.method,
            route: request.route,
            ids: [...request.ids, ...named],
          });
          expect(byEpic(event.changes)).toEqual(statusDifference(before.epics, after.epics));
          seen.events++;
          seen.changes += event.changes.length;
        }
      }),
      { numRuns: 60 },
    );
    // The sequences reached both sides: commits with status changes, and refusals.
    expect(seen.events).toBeGreaterThan(50);
    expect(seen.changes).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(20);
  });

  it('a request refused for its body or its path writes no event', async () => {
    await reset(app());
    const { revision } = await backlogOf(app());
    for (const [method, url, payload] of [
      ['POST', '/v1/epics', { id: ' E1' }],
      ['POST', '/v1/epics', { id: 'E1', extra: true }],
      ['DELETE', '/v1/epics/nope', undefined],
      ['POST', '/v1/tasks', { id: 'T1', epic: 'nope' }],
      ['PUT', '/v1/backlog', { E1: { Epics: ['E1'] } }],
    ] as const) {
      const response = await app().inject({ method, url, ...(payload ? { payload } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(await eventsAfter(app(), revision)).toEqual([]);
    expect((await backlogOf(app())).revision).toBe(revision);
  });
});

/** What each epic remembers as done or fixed, kept from the requests alone (SPEC section 8, Progress). */
class ProgressModel {
  private readonly done = new Map<string, Set<string>>();
  private readonly fixed = new Map<string, Set<string>>();

  private of(lists: Map<string, Set<string>>, epic: string): Set<string> {
    const set = lists.get(epic) ?? new Set<string>();
    lists.set(epic, set);
    return set;
  }

  /** After a committed request, with the backlog as it was before it. */
  committed(request: Mutation, before: readonly EpicState[]): void {
    const body = request.body as Record<string, unknown> & { id?: string; epic?: string; type?: string };
    switch (`${request.method} ${request.route}`) {
      // The dictionary format carries no progress: a replaced backlog starts anew.
      case 'PUT /v1/backlog':
        this.done.clear();
        this.fixed.clear();
        return;
      case 'POST /v1/backlog':
        for (const [epic, entry] of Object.entries(body as Record<string, { Tasks: string[]; Bugs: string[] }>)) {
          for (const task of entry.Tasks) this.of(this.done, epic).delete(task);
          for (const bug of entry.Bugs) this.of(this.fixed, epic).delete(bug);
        }
        return;
      case 'DELETE /v1/epics/{epicId}':
        this.done.delete(request.ids[0] as string);
        this.fixed.delete(request.ids[0] as string);
        return;
      case 'POST /v1/epics/{epicId}':
        this.of(body.type === 'task' ? this.done : this.fixed, request.ids[0] as string).delete(body.id as string);
        return;
      case 'POST /v1/epics/{epicId}/bugs':
        this.of(this.fixed, request.ids[0] as string).delete(body.id as string);
        return;
      case 'POST /v1/tasks':
        this.of(this.done, body.epic as string).delete(body.id as string);
        return;
      case 'POST /v1/bugs':
        this.of(this.fixed, body.epic as string).delete(body.id as string);
        return;
      case 'DELETE /v1/tasks/{taskId}': {
        const owner = before.find((epic) => epic.tasks.includes(request.ids[0] as string));
        this.of(this.done, owner?.id as string).add(request.ids[0] as string);
        return;
      }
      case 'DELETE /v1/bugs/{bugId}':
        for (const epic of before.filter((epic) => epic.bugs.includes(request.ids[0] as string))) {
          this.of(this.fixed, epic.id).add(request.ids[0] as string);
        }
        return;
    }
  }

  /** The count from scratch over the epics `epicId` reaches in `epics`. */
  progress(epics: readonly EpicState[], epicId: string) {
    const byId = new Map(epics.map((epic) => [epic.id, epic]));
    const reached = new Set<string>();
    const visit = (id: string) => {
      if (reached.has(id)) return;
      reached.add(id);
      for (const child of byId.get(id)?.epics ?? []) visit(child);
    };
    visit(epicId);
    const union = (pick: (id: string) => Iterable<string>) => new Set([...reached].flatMap((id) => [...pick(id)]));
    const openTasks = union((id) => byId.get(id)?.tasks ?? []);
    const openBugs = union((id) => byId.get(id)?.bugs ?? []);
    const doneTasks = [...union((id) => this.done.get(id) ?? [])].filter((task) => !openTasks.has(task));
    const fixedBugs = [...union((id) => this.fixed.get(id) ?? [])].filter((bug) => !openBugs.has(bug));
    return {
      tasksDone: doneTasks.length,
      tasksOpen: openTasks.size,
      bugsFixed: fixedBugs.length,
      bugsOpen: openBugs.size,
    };
  }
}

describe('progress on GET /v1/epics/{epicId} (SPEC section 8)', () => {
  // Deletes and re-adds weigh more here: they are what progress remembers.
  const weighted = fc.array(
    fc.oneof(
      { arbitrary: mutationArb, weight: 3 },
      { arbitrary: mutationArb.filter((request) => request.method === 'DELETE'), weight: 2 },
    ),
    { minLength: 1, maxLength: 30 },
  );

  it('equals a count from scratch over the reachable epics, after any sequence of requests', async () => {
    let remembered = 0;
    await fc.assert(
      fc.asyncProperty(weighted, async (requests) => {
        await reset(app());
        const model = new ProgressModel();
        model.committed({ method: 'PUT', route: '/v1/backlog', url: '/v1/backlog', ids: [] }, []);
        for (const request of requests) {
          const before = await backlogOf(app());
          const response = await inject(app(), request);
          const after = await backlogOf(app());
          if (after.revision !== before.revision) model.committed(request, before.epics);
          else expect([200, 201, 404, 409]).toContain(response.statusCode);
          for (const epic of after.epics) {
            const answer = await app().inject({ url: `/v1/epics/${epic.id}` });
            expect(answer.statusCode).toBe(200);
            const expected = model.progress(after.epics, epic.id);
            expect(answer.json().progress, `${epic.id} after ${request.method} ${request.url}`).toEqual(expected);
            if (expected.tasksDone + expected.bugsFixed > 0) remembered++;
          }
        }
      }),
      { numRuns: 40 },
    );
    // Done tasks and fixed bugs were counted, not only open ones.
    expect(remembered).toBeGreaterThan(50);
  });
});
