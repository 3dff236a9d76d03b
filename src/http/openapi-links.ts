/**
 * OpenAPI links: how the id one operation names feeds the path of the next.
 * Clients read them as documentation; schemathesis's stateful phase follows them
 * (create an epic, read it, add a task, complete it, read the epic again, delete it...).
 * Keyed by operationId, then by the status whose response carries the link.
 *
 * Every id is named for what it is: schemathesis's own link inference (turned off in
 * schemathesis.toml) read each id of a BacklogView as an epic, a task, a bug and a link
 * id at once.
 *
 * Left out on purpose, where schemathesis would blame a correct answer on the request
 * before it: from a new epic to linking a child under it (the child in the body may not
 * exist: 404); from a new link, task or bug to the epic it names (deleting that epic
 * also removes its links, tasks and bug reports); from an import to its epics (importing
 * again re-creates an epic deleted meanwhile, which schemathesis does not see as a
 * re-creation).
 */
interface Link {
  operationId: string;
  parameters: Record<string, string>;
  description: string;
  requestBody?: unknown;
}
type Links = Record<string, Record<string, Record<string, Link>>>;

const link = (
  operationId: string,
  parameters: Record<string, string>,
  description: string,
  requestBody?: unknown,
): Link => ({ operationId, parameters, description, ...(requestBody === undefined ? {} : { requestBody }) });

const CREATED_EPIC = { epicId: '$request.body#/id' };
const PATH_EPIC = { epicId: '$request.path.epicId' };
const BODY_ID_AS = (name: string) => ({ [name]: '$request.body#/id' });

const OPENAPI_LINKS: Links = {
  listEpics: {
    200: {
      // Two epics that exist; 409 when the link is there already or would close a cycle.
      LinkSecondEpicUnderFirst: link(
        'linkEpic',
        { epicId: '$response.body#/0/id' },
        'Link the second epic under the first',
        {
          id: '$response.body#/1/id',
        },
      ),
    },
  },
  createEpic: {
    201: {
      GetCreatedEpic: link('getEpic', CREATED_EPIC, 'Read the epic just created'),
      AddItemToCreatedEpic: link('addItemToEpic', CREATED_EPIC, 'Add a task or a bug to it'),
      AddBugToCreatedEpic: link('addBugToEpic', CREATED_EPIC, 'Report a bug in it'),
      ListCreatedEpicBugs: link('listEpicBugs', CREATED_EPIC, 'Its bugs'),
      DeleteCreatedEpic: link('deleteEpic', CREATED_EPIC, 'Delete it'),
    },
  },
  getEpic: {
    200: {
      AddItemToEpic: link('addItemToEpic', { epicId: '$response.body#/id' }, 'Add a task or a bug to it'),
      DeleteEpic: link('deleteEpic', { epicId: '$response.body#/id' }, 'Delete it'),
    },
  },
  addItemToEpic: {
    201: {
      GetEpic: link('getEpic', PATH_EPIC, 'Read the epic again'),
      CompleteAddedTask: link('completeTask', BODY_ID_AS('taskId'), 'Complete the task just added'),
      FixAddedBug: link('fixBug', BODY_ID_AS('bugId'), 'Fix the bug just added'),
      ListEpicsBlockedByAddedBug: link('listEpicsBlockedByBug', BODY_ID_AS('bugId'), 'What the bug blocks'),
    },
  },
  addBugToEpic: {
    201: {
      GetEpic: link('getEpic', PATH_EPIC, 'Read the epic again'),
      FixAddedBug: link('fixBug', BODY_ID_AS('bugId'), 'Fix the bug just reported'),
      ListEpicsBlockedByAddedBug: link('listEpicsBlockedByBug', BODY_ID_AS('bugId'), 'What the bug blocks'),
    },
  },
  listEpicBugs: {
    200: {
      ListEpicsBlockedByListedBug: link('listEpicsBlockedByBug', { bugId: '$response.body#/0/id' }, 'What it blocks'),
    },
  },
  linkEpic: {
    201: {
      GetParentEpic: link('getEpic', PATH_EPIC, 'Read the parent again'),
      UnlinkChild: link('unlinkEpic', { ...PATH_EPIC, childId: '$request.body#/id' }, 'Remove the link just made'),
    },
  },
  unlinkEpic: {
    200: {
      GetParentEpic: link('getEpic', PATH_EPIC, 'Read the parent again'),
    },
  },
  deleteEpic: {
    200: {
      GetDeletedEpic: link('getEpic', PATH_EPIC, 'The deleted epic is gone (404)'),
    },
  },
  createTask: {
    201: {
      CompleteCreatedTask: link('completeTask', BODY_ID_AS('taskId'), 'Complete the task just created'),
    },
  },
  reportBug: {
    201: {
      FixReportedBug: link('fixBug', BODY_ID_AS('bugId'), 'Fix the bug just reported'),
      ListEpicsBlockedByReportedBug: link('listEpicsBlockedByBug', BODY_ID_AS('bugId'), 'What the bug blocks'),
    },
  },
  fixBug: {
    200: {
      ListEpicsBlockedByFixedBug: link('listEpicsBlockedByBug', { bugId: '$request.path.bugId' }, 'Gone (404)'),
    },
  },
};

interface OpenApiDocument {
  paths?: Record<string, Record<string, { operationId?: string; responses?: Record<string, { links?: unknown }> }>>;
}

/** Puts the links of OPENAPI_LINKS on the responses of the document; fails loudly on a name that matches nothing. */
export function addOpenApiLinks<T>(document: T, links: Links = OPENAPI_LINKS): T {
  const operations = new Map<string, { responses?: Record<string, { links?: unknown }> }>();
  for (const methods of Object.values((document as OpenApiDocument).paths ?? {})) {
    for (const operation of Object.values(methods)) {
      if (operation.operationId) operations.set(operation.operationId, operation);
    }
  }
  for (const [operationId, byStatus] of Object.entries(links)) {
    const operation = operations.get(operationId);
    if (!operation) throw new Error(`OpenAPI links: no operation ${operationId}`);
    for (const [status, named] of Object.entries(byStatus)) {
      const response = operation.responses?.[status];
      if (!response) throw new Error(`OpenAPI links: ${operationId} has no ${status} response`);
      for (const target of Object.values(named)) {
        if (!operations.has(target.operationId)) throw new Error(`OpenAPI links: no operation ${target.operationId}`);
      }
      response.links = named;
    }
  }
  return document;
}
