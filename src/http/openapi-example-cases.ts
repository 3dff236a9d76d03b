import { SPEC_EXAMPLE } from '../schemas/spec-example.js';
import type { OperationExamples } from './openapi-examples.js';
import { PROBLEM_TYPES, problemTypeUri, slugOf } from './problem-types.js';

/** A problem+json answer as the service sends it: its type and status follow from its title (problem-types.ts). */
function problem(title: string, detail: string, errors?: { in: string; path: string; message: string }[]) {
  const status = PROBLEM_TYPES.get(slugOf(title))?.status;
  if (status === undefined) throw new Error(`no problem type is titled ${JSON.stringify(title)}`);
  return { type: problemTypeUri(title), title, status, detail, ...(errors && { errors }) };
}

/** The example backlog's epics as GET /v1/backlog answers them; most answers repeat some. */
const VIEW = {
  EpicA: { id: 'EpicA', status: 'wip', tasks: ['TaskA1', 'TaskA2'], bugs: [], epics: ['EpicB'] },
  EpicB: { id: 'EpicB', status: 'wip', tasks: ['TaskB1', 'TaskB2'], bugs: ['BugB1'], epics: [] },
  EpicC: { id: 'EpicC', status: 'completed', tasks: [], bugs: [], epics: [] },
  EpicD: { id: 'EpicD', status: 'completed', tasks: [], bugs: [], epics: ['EpicC'] },
  EpicE: { id: 'EpicE', status: 'pending_validation', tasks: [], bugs: ['BugE1'], epics: [] },
};
const EXAMPLE_VIEWS = [VIEW.EpicA, VIEW.EpicB, VIEW.EpicC, VIEW.EpicD, VIEW.EpicE];

/** The 400 of a path parameter whose id starts with a space: ` ${id}`. */
function leadingSpace(param: string, id: string) {
  const message = `id " ${id}" must not start or end with white space`;
  return {
    summary: 'An id with a leading space',
    params: { [param]: ` ${id}` },
    status: 400,
    response: problem('Invalid request', `params/${param}: ${message}`, [{ in: 'params', path: `/${param}`, message }]),
  };
}

/** The 404 of an epic that does not exist, EpicZ. */
const EPIC_Z_NOT_FOUND = problem('Epic not found', 'Epic "EpicZ" does not exist');

/** The 400 of a query parameter refused with `message`. */
function invalidQuery(param: string, message: string) {
  return problem('Invalid request', `querystring/${param}: ${message}`, [
    { in: 'querystring', path: `/${param}`, message },
  ]);
}

/** The revision of the new store the examples of events run on; importing the example backlog commits the next. */
export const EXAMPLE_FIRST_REVISION = 1764505000122;

/** The event of importing the example backlog into a new store (EXAMPLE_FIRST_REVISION). */
const IMPORT_SEQ = EXAMPLE_FIRST_REVISION + 1;
const IMPORT_AT = '2025-11-30T12:16:40.123Z';
const IMPORT_EVENT = {
  seq: IMPORT_SEQ,
  at: IMPORT_AT,
  actor: null,
  operation: { method: 'PUT', route: '/v1/backlog', ids: [] },
  changes: Object.values(VIEW).map(({ id, status }) => ({ epic: id, from: null, to: status })),
};
/** What the stream sends of it: the event's seq as id, the event as data. */
export const STREAM_EXAMPLE = `id: ${IMPORT_SEQ}\ndata: ${JSON.stringify(IMPORT_EVENT)}\n\n: heartbeat\n\n`;
const PRUNED_AFTER = 1764500000000;
const pruned = problem(
  'Events pruned',
  `Events after seq ${PRUNED_AFTER} are no longer all kept: the oldest after still answered is ${EXAMPLE_FIRST_REVISION}. Read the backlog again and follow the events after its revision`,
);

/**
 * Every example request of the OpenAPI document and the answer it gets on the example
 * backlog (EXAMPLE_BACKLOG, the dictionary of SPEC section 1), by operationId and
 * example name: `ok` for the success, `invalid` a 400, `notFound` a 404, `conflict` a
 * 409. test/http/openapi-examples.test.ts replays each one and compares the answer.
 */
export const OPERATION_EXAMPLES: OperationExamples = {
  getBacklog: { ok: { summary: 'The example backlog', status: 200, response: { epics: EXAMPLE_VIEWS } } },
  importBacklog: {
    ok: {
      summary: 'Merge a new epic linked to EpicC',
      body: { EpicF: { Tasks: ['TaskF1'], Epics: ['EpicC'] } },
      status: 200,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          VIEW.EpicC,
          VIEW.EpicD,
          VIEW.EpicE,
          { id: 'EpicF', status: 'wip', tasks: ['TaskF1'], bugs: [], epics: ['EpicC'] },
        ],
      },
    },
    invalid: {
      summary: 'A misspelt key',
      body: { EpicF: { tasks: ['TaskF1'] } },
      status: 400,
      response: problem('Invalid request', 'body/EpicF: unknown key "tasks": did you mean "Tasks"?', [
        { in: 'body', path: '/EpicF', message: 'unknown key "tasks": did you mean "Tasks"?' },
      ]),
    },
    conflict: {
      summary: 'A task already in another epic',
      body: { EpicF: { Tasks: ['TaskA1'] } },
      status: 409,
      response: problem('Task already in an epic', 'Task "TaskA1" already belongs to epic "EpicA"'),
    },
  },
  replaceBacklog: {
    ok: {
      summary: 'Replace with the example backlog of the contract',
      body: SPEC_EXAMPLE,
      status: 200,
      response: { epics: EXAMPLE_VIEWS },
    },
    invalid: {
      summary: 'A list given as a string',
      body: { EpicA: { Tasks: 'TaskA1' } },
      status: 400,
      response: problem('Invalid request', 'body/EpicA/Tasks: Invalid input: expected array, received string', [
        { in: 'body', path: '/EpicA/Tasks', message: 'Invalid input: expected array, received string' },
      ]),
    },
    conflict: {
      summary: 'Links forming a cycle',
      body: { EpicA: { Epics: ['EpicB'] }, EpicB: { Epics: ['EpicA'] } },
      status: 409,
      response: problem('Links would form a cycle', 'Links would form a cycle: EpicA -> EpicB -> EpicA'),
    },
  },
  exportBacklog: {
    ok: {
      summary: 'The example backlog in the dictionary format',
      status: 200,
      response: {
        EpicA: { Tasks: ['TaskA1', 'TaskA2'], Bugs: [], Epics: ['EpicB'] },
        EpicB: { Tasks: ['TaskB1', 'TaskB2'], Bugs: ['BugB1'], Epics: [] },
        EpicC: { Tasks: [], Bugs: [], Epics: [] },
        EpicD: { Tasks: [], Bugs: [], Epics: ['EpicC'] },
        EpicE: { Tasks: [], Bugs: ['BugE1'], Epics: [] },
      },
    },
  },
  listEpics: {
    ok: {
      summary: 'The epics in progress',
      query: { status: 'wip' },
      status: 200,
      response: [
        { id: 'EpicA', status: 'wip' },
        { id: 'EpicB', status: 'wip' },
      ],
    },
    invalid: {
      summary: 'A status that does not exist',
      query: { status: 'done' },
      status: 400,
      response: problem(
        'Invalid request',
        'querystring/status: Invalid option: expected one of "wip"|"blocked"|"pending_validation"|"completed"',
        [
          {
            in: 'querystring',
            path: '/status',
            message: 'Invalid option: expected one of "wip"|"blocked"|"pending_validation"|"completed"',
          },
        ],
      ),
    },
  },
  createEpic: {
    ok: {
      summary: 'An epic with a task, linked to EpicC',
      body: { id: 'EpicF', tasks: ['TaskF1'], epics: ['EpicC'] },
      status: 201,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          VIEW.EpicC,
          VIEW.EpicD,
          VIEW.EpicE,
          { id: 'EpicF', status: 'wip', tasks: ['TaskF1'], bugs: [], epics: ['EpicC'] },
        ],
      },
    },
    invalid: {
      summary: 'No id',
      body: { tasks: ['TaskF1'] },
      status: 400,
      response: problem('Invalid request', 'body/id: required', [{ in: 'body', path: '/id', message: 'required' }]),
    },
    conflict: {
      summary: 'An id taken',
      body: { id: 'EpicA' },
      status: 409,
      response: problem('Epic already exists', 'Epic "EpicA" already exists'),
    },
  },
  listBlockedEpics: {
    ok: {
      summary: 'What BugB1 blocks',
      query: { bug_id: 'BugB1' },
      status: 200,
      response: {
        bug: 'BugB1',
        blocked: [
          { id: 'EpicA', status: 'wip' },
          { id: 'EpicB', status: 'wip' },
        ],
        highest: ['EpicA'],
      },
    },
    invalid: {
      summary: 'An id with a leading space',
      query: { bug_id: ' BugB1' },
      status: 400,
      response: problem('Invalid request', 'querystring/bug_id: id " BugB1" must not start or end with white space', [
        { in: 'querystring', path: '/bug_id', message: 'id " BugB1" must not start or end with white space' },
      ]),
    },
    notFound: {
      summary: 'A bug no epic reports',
      query: { bug_id: 'BugZ1' },
      status: 404,
      response: problem('Bug not found', 'Bug "BugZ1" does not exist'),
    },
  },
  getEpic: {
    ok: {
      summary: 'EpicB and its parent',
      params: { epicId: 'EpicB' },
      status: 200,
      response: {
        id: 'EpicB',
        tasks: ['TaskB1', 'TaskB2'],
        bugs: ['BugB1'],
        epics: [],
        status: 'wip',
        parents: ['EpicA'],
        progress: { tasksDone: 0, tasksOpen: 2, bugsFixed: 0, bugsOpen: 1 },
      },
    },
    invalid: leadingSpace('epicId', 'EpicB'),
    notFound: {
      summary: 'An epic that does not exist',
      params: { epicId: 'EpicZ' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
  },
  deleteEpic: {
    ok: {
      summary: 'Delete EpicD (its link to EpicC goes with it)',
      params: { epicId: 'EpicD' },
      status: 200,
      response: { epics: [VIEW.EpicA, VIEW.EpicB, VIEW.EpicC, VIEW.EpicE] },
    },
    invalid: leadingSpace('epicId', 'EpicD'),
    notFound: {
      summary: 'An epic that does not exist',
      params: { epicId: 'EpicZ' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
  },
  addItemToEpic: {
    ok: {
      summary: 'Add a task to EpicC',
      params: { epicId: 'EpicC' },
      body: { type: 'task', id: 'TaskC1' },
      status: 201,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          { id: 'EpicC', status: 'wip', tasks: ['TaskC1'], bugs: [], epics: [] },
          { id: 'EpicD', status: 'blocked', tasks: [], bugs: [], epics: ['EpicC'] },
          VIEW.EpicE,
        ],
      },
    },
    invalid: {
      summary: 'An item type that does not exist',
      params: { epicId: 'EpicC' },
      body: { type: 'story', id: 'StoryC1' },
      status: 400,
      response: problem('Invalid request', 'body/type: Invalid option: expected one of "task"|"bug"', [
        { in: 'body', path: '/type', message: 'Invalid option: expected one of "task"|"bug"' },
      ]),
    },
    notFound: {
      summary: 'An epic that does not exist',
      params: { epicId: 'EpicZ' },
      body: { type: 'task', id: 'TaskZ1' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
    conflict: {
      summary: 'A task already in another epic',
      params: { epicId: 'EpicC' },
      body: { type: 'task', id: 'TaskA1' },
      status: 409,
      response: problem('Task already in an epic', 'Task "TaskA1" already belongs to epic "EpicA"'),
    },
  },
  listEpicBugs: {
    ok: {
      summary: 'The bugs under EpicA',
      params: { epicId: 'EpicA' },
      status: 200,
      response: [{ id: 'BugB1', epics: ['EpicB'] }],
    },
    invalid: leadingSpace('epicId', 'EpicA'),
    notFound: {
      summary: 'An epic that does not exist',
      params: { epicId: 'EpicZ' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
  },
  addBugToEpic: {
    ok: {
      summary: 'Report a bug in EpicC',
      params: { epicId: 'EpicC' },
      body: { id: 'BugC1' },
      status: 201,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          { id: 'EpicC', status: 'pending_validation', tasks: [], bugs: ['BugC1'], epics: [] },
          { id: 'EpicD', status: 'pending_validation', tasks: [], bugs: [], epics: ['EpicC'] },
          VIEW.EpicE,
        ],
      },
    },
    invalid: {
      summary: 'No id',
      params: { epicId: 'EpicC' },
      body: {},
      status: 400,
      response: problem('Invalid request', 'body/id: required', [{ in: 'body', path: '/id', message: 'required' }]),
    },
    notFound: {
      summary: 'An epic that does not exist',
      params: { epicId: 'EpicZ' },
      body: { id: 'BugZ1' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
    conflict: {
      summary: 'A bug the epic reports already',
      params: { epicId: 'EpicB' },
      body: { id: 'BugB1' },
      status: 409,
      response: problem('Bug already reported in this epic', 'Bug "BugB1" is already reported in epic "EpicB"'),
    },
  },
  linkEpic: {
    ok: {
      summary: 'Link EpicC under EpicE',
      params: { epicId: 'EpicE' },
      body: { id: 'EpicC' },
      status: 201,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          VIEW.EpicC,
          VIEW.EpicD,
          { id: 'EpicE', status: 'pending_validation', tasks: [], bugs: ['BugE1'], epics: ['EpicC'] },
        ],
      },
    },
    invalid: {
      summary: 'A misspelt key',
      params: { epicId: 'EpicE' },
      body: { Id: 'EpicC' },
      status: 400,
      response: problem('Invalid request', 'body/id: required; body: unknown key "Id": did you mean "id"?', [
        { in: 'body', path: '/id', message: 'required' },
        { in: 'body', path: '/', message: 'unknown key "Id": did you mean "id"?' },
      ]),
    },
    notFound: {
      summary: 'A child that does not exist',
      params: { epicId: 'EpicE' },
      body: { id: 'EpicZ' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
    conflict: {
      summary: 'A link that would form a cycle',
      params: { epicId: 'EpicB' },
      body: { id: 'EpicA' },
      status: 409,
      response: problem('Links would form a cycle', 'Links would form a cycle: EpicB -> EpicA -> EpicB'),
    },
  },
  unlinkEpic: {
    ok: {
      summary: 'Unlink EpicB from EpicA',
      params: { epicId: 'EpicA', childId: 'EpicB' },
      status: 200,
      response: {
        epics: [
          { id: 'EpicA', status: 'wip', tasks: ['TaskA1', 'TaskA2'], bugs: [], epics: [] },
          VIEW.EpicB,
          VIEW.EpicC,
          VIEW.EpicD,
          VIEW.EpicE,
        ],
      },
    },
    invalid: {
      summary: 'An id with a leading space',
      params: { epicId: ' EpicD', childId: 'EpicC' },
      status: 400,
      response: problem('Invalid request', 'params/epicId: id " EpicD" must not start or end with white space', [
        { in: 'params', path: '/epicId', message: 'id " EpicD" must not start or end with white space' },
      ]),
    },
    notFound: {
      summary: 'A link that does not exist',
      params: { epicId: 'EpicD', childId: 'EpicA' },
      status: 404,
      response: problem('Link not found', 'Epic "EpicD" does not link to "EpicA"'),
    },
  },
  listTasks: {
    ok: {
      summary: 'Every task of the example backlog',
      status: 200,
      response: [
        { id: 'TaskA1', epic: 'EpicA' },
        { id: 'TaskA2', epic: 'EpicA' },
        { id: 'TaskB1', epic: 'EpicB' },
        { id: 'TaskB2', epic: 'EpicB' },
      ],
    },
  },
  createTask: {
    ok: {
      summary: 'A task in EpicC',
      body: { id: 'TaskC1', epic: 'EpicC' },
      status: 201,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          { id: 'EpicC', status: 'wip', tasks: ['TaskC1'], bugs: [], epics: [] },
          { id: 'EpicD', status: 'blocked', tasks: [], bugs: [], epics: ['EpicC'] },
          VIEW.EpicE,
        ],
      },
    },
    invalid: {
      summary: 'No epic',
      body: { id: 'TaskC1' },
      status: 400,
      response: problem('Invalid request', 'body/epic: required', [{ in: 'body', path: '/epic', message: 'required' }]),
    },
    notFound: {
      summary: 'An epic that does not exist',
      body: { id: 'TaskZ1', epic: 'EpicZ' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
    conflict: {
      summary: 'A task already in another epic',
      body: { id: 'TaskA1', epic: 'EpicC' },
      status: 409,
      response: problem('Task already in an epic', 'Task "TaskA1" already belongs to epic "EpicA"'),
    },
  },
  completeTask: {
    ok: {
      summary: 'Complete TaskA1',
      params: { taskId: 'TaskA1' },
      status: 200,
      response: {
        epics: [
          { id: 'EpicA', status: 'wip', tasks: ['TaskA2'], bugs: [], epics: ['EpicB'] },
          VIEW.EpicB,
          VIEW.EpicC,
          VIEW.EpicD,
          VIEW.EpicE,
        ],
      },
    },
    invalid: leadingSpace('taskId', 'TaskA1'),
    notFound: {
      summary: 'A task that does not exist',
      params: { taskId: 'TaskZ1' },
      status: 404,
      response: problem('Task not found', 'Task "TaskZ1" does not exist'),
    },
  },
  listBugs: {
    ok: {
      summary: 'Every bug of the example backlog',
      status: 200,
      response: [
        { id: 'BugB1', epics: ['EpicB'] },
        { id: 'BugE1', epics: ['EpicE'] },
      ],
    },
  },
  reportBug: {
    ok: {
      summary: 'Report BugB1 in EpicC too',
      body: { id: 'BugB1', epic: 'EpicC' },
      status: 201,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          { id: 'EpicC', status: 'pending_validation', tasks: [], bugs: ['BugB1'], epics: [] },
          { id: 'EpicD', status: 'pending_validation', tasks: [], bugs: [], epics: ['EpicC'] },
          VIEW.EpicE,
        ],
      },
    },
    invalid: {
      summary: 'A misspelt key',
      body: { id: 'BugC1', epics: 'EpicC' },
      status: 400,
      response: problem('Invalid request', 'body/epic: required; body: unknown key "epics": did you mean "epic"?', [
        { in: 'body', path: '/epic', message: 'required' },
        { in: 'body', path: '/', message: 'unknown key "epics": did you mean "epic"?' },
      ]),
    },
    notFound: {
      summary: 'An epic that does not exist',
      body: { id: 'BugZ1', epic: 'EpicZ' },
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
    conflict: {
      summary: 'A bug the epic reports already',
      body: { id: 'BugB1', epic: 'EpicB' },
      status: 409,
      response: problem('Bug already reported in this epic', 'Bug "BugB1" is already reported in epic "EpicB"'),
    },
  },
  fixBug: {
    ok: {
      summary: 'Fix BugE1',
      params: { bugId: 'BugE1' },
      status: 200,
      response: {
        epics: [
          VIEW.EpicA,
          VIEW.EpicB,
          VIEW.EpicC,
          VIEW.EpicD,
          { id: 'EpicE', status: 'completed', tasks: [], bugs: [], epics: [] },
        ],
      },
    },
    invalid: leadingSpace('bugId', 'BugE1'),
    notFound: {
      summary: 'A bug no epic reports',
      params: { bugId: 'BugZ1' },
      status: 404,
      response: problem('Bug not found', 'Bug "BugZ1" does not exist'),
    },
  },
  listEpicsBlockedByBug: {
    ok: {
      summary: 'What BugB1 blocks',
      params: { bugId: 'BugB1' },
      status: 200,
      response: {
        bug: 'BugB1',
        blocked: [
          { id: 'EpicA', status: 'wip' },
          { id: 'EpicB', status: 'wip' },
        ],
        highest: ['EpicA'],
      },
    },
    invalid: leadingSpace('bugId', 'BugB1'),
    notFound: {
      summary: 'A bug no epic reports',
      params: { bugId: 'BugZ1' },
      status: 404,
      response: problem('Bug not found', 'Bug "BugZ1" does not exist'),
    },
  },
  listEvents: {
    ok: {
      summary: 'The events after a revision: importing the example backlog',
      query: { after: EXAMPLE_FIRST_REVISION, limit: 10 },
      committed: true,
      status: 200,
      response: { events: [IMPORT_EVENT], next: null },
    },
    invalid: {
      summary: 'A page over 1000 events',
      query: { limit: 5000 },
      status: 400,
      response: invalidQuery('limit', 'Too big: expected number to be <=1000'),
    },
    gone: {
      summary: 'After a seq whose next events are no longer kept',
      query: { after: PRUNED_AFTER },
      committed: true,
      status: 410,
      response: pruned,
    },
  },
  streamEvents: {
    ok: {
      summary: 'The events after a revision, then each as it commits (and a heartbeat)',
      query: { after: EXAMPLE_FIRST_REVISION },
      status: 200,
      response: STREAM_EXAMPLE,
    },
    resume: {
      summary: 'A reconnecting EventSource resumes after the last event it received',
      headers: { 'last-event-id': String(EXAMPLE_FIRST_REVISION) },
      status: 200,
      response: STREAM_EXAMPLE,
    },
    invalid: {
      summary: 'An after that is not a seq',
      query: { after: 'yesterday' },
      status: 400,
      response: invalidQuery('after', 'Invalid input: expected number, received NaN'),
    },
    gone: {
      summary: 'After a seq whose next events are no longer kept: 410 before the stream opens',
      query: { after: PRUNED_AFTER },
      committed: true,
      status: 410,
      response: pruned,
    },
  },
  getEpicHistory: {
    ok: {
      summary: 'EpicB since it was imported',
      params: { epicId: 'EpicB' },
      committed: true,
      status: 200,
      response: [{ seq: IMPORT_SEQ, at: IMPORT_AT, from: null, to: 'wip', actor: null }],
    },
    invalid: leadingSpace('epicId', 'EpicB'),
    notFound: {
      summary: 'An epic that neither exists nor has a history',
      params: { epicId: 'EpicZ' },
      committed: true,
      status: 404,
      response: EPIC_Z_NOT_FOUND,
    },
  },
  getLiveness: { ok: { summary: 'Up', status: 200, response: { status: 'ok' } } },
  getReadiness: { ok: { summary: 'The store answers', status: 200, response: { status: 'ok' } } },
  listProblemTypes: {
    ok: {
      summary: 'Every problem type',
      status: 200,
      response: [...PROBLEM_TYPES].map(([slug, type]) => ({ type: `/problems/${slug}`, ...type })),
    },
  },
  getProblemType: {
    ok: {
      summary: 'What "Epic not found" means',
      params: { slug: 'epic-not-found' },
      status: 200,
      response: {
        type: '/problems/epic-not-found',
        title: 'Epic not found',
        status: 404,
        description:
          'No epic has the id named in the path (or the single epic a body names). List them with GET /v1/epics.',
      },
    },
    notFound: {
      summary: 'A problem type that does not exist',
      params: { slug: 'no-such-problem' },
      status: 404,
      response: problem('Not found', 'No problem type "no-such-problem"'),
    },
  },
};
