import { z } from 'zod';
import {
  EPIC_ID_PATTERN,
  epicIdProblem,
  ID_OR_BLANK_PATTERN,
  ID_PATTERN,
  idProblem,
  MAX_ID_LENGTH,
} from '../domain/ids.js';
import { STATUSES } from '../domain/status.js';
import { SPEC_EXAMPLE } from './spec-example.js';

// Lengths are bounded inside the patterns, which count code points as JSON Schema
// does; zod's max() would count UTF-16 units and refuse what the document allows.
const idLength = { minLength: 1, maxLength: MAX_ID_LENGTH };

// The id patterns cannot refuse a lone surrogate (ids.ts): each id schema checks it too.
const wellFormed = (problemOf: (id: string) => string | undefined) =>
  [
    (id: string) => id.isWellFormed(),
    { error: (issue: { input: unknown }) => explainId(issue.input, problemOf) },
  ] as const;

export const IdSchema = z
  .string()
  .regex(new RegExp(ID_PATTERN, 'u'), { error: (issue) => explainId(issue.input, idProblem), abort: true })
  .refine(...wellFormed(idProblem))
  .meta({
    ...idLength,
    description:
      'An id: 1 to 200 characters of well-formed Unicode, no control characters, no leading or trailing white space.',
    examples: ['TaskA1'],
  });

export const EpicIdSchema = z
  .string()
  .regex(new RegExp(EPIC_ID_PATTERN, 'u'), { error: (issue) => explainId(issue.input, epicIdProblem), abort: true })
  .refine(...wellFormed(epicIdProblem))
  .meta({ ...idLength, description: 'An epic id: any id but the reserved `blocked`.', examples: ['EpicA'] });

const IdOrBlankSchema = z
  .string()
  .regex(new RegExp(ID_OR_BLANK_PATTERN, 'u'), { error: (issue) => explainId(issue.input, idProblem), abort: true })
  .refine(...wellFormed(idProblem))
  .meta({ description: 'An id; blank strings (white space only, any length) are ignored.' });

/** Names the refused id and the rule it breaks (SPEC section 1). */
export function explainId(input: unknown, problemOf: (id: string) => string | undefined): string {
  const id = String(input);
  const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
  return `id ${JSON.stringify(shown)} ${problemOf(id) ?? 'is not valid'}`;
}

/** Response lists: views share the domain's readonly arrays instead of copying them. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

export const StatusSchema = z.enum(STATUSES).meta({ description: 'The rolled-up status of an epic.' });

export const DictionaryEntrySchema = z
  .strictObject({
    Tasks: z.array(IdOrBlankSchema).optional(),
    Bugs: z.array(IdOrBlankSchema).optional(),
    Epics: z.array(IdOrBlankSchema).optional(),
  })
  .meta({ description: 'One epic; a missing list means an empty one.' });

export const DictionarySchema = z
  .record(EpicIdSchema, DictionaryEntrySchema, {
    // zod would say only "Invalid key in record"; the SPEC asks to say which id and why.
    error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined),
  })
  .meta({
    id: 'Dictionary',
    description: 'A backlog in the exchange format: epic id → its tasks, bugs and linked epics.',
    examples: [SPEC_EXAMPLE],
  });
export type DictionaryBody = z.infer<typeof DictionarySchema>;

export const ExportSchema = z
  .record(z.string(), z.strictObject({ Tasks: list(z.string()), Bugs: list(z.string()), Epics: list(z.string()) }))
  .meta({
    id: 'Export',
    description: 'The backlog in the exchange format, epics in creation order.',
    examples: [SPEC_EXAMPLE],
  });

export const EpicViewSchema = z
  .object({
    id: z.string(),
    status: StatusSchema,
    tasks: list(z.string()),
    bugs: list(z.string()),
    epics: list(z.string()),
  })
  .meta({ id: 'EpicView' });

const count = z.number().int().min(0);

export const ProgressSchema = z
  .object({
    tasksDone: count.meta({ description: 'Tasks marked done (DELETE /v1/tasks/{taskId}) and not added again.' }),
    tasksOpen: count,
    bugsFixed: count.meta({ description: 'Bugs marked fixed (DELETE /v1/bugs/{bugId}) and not reported again.' }),
    bugsOpen: count,
  })
  .meta({
    id: 'Progress',
    description: 'Over the epic and every epic it reaches, each task and each bug counted once.',
  });

export const EpicDetailSchema = EpicViewSchema.extend({ parents: list(z.string()), progress: ProgressSchema }).meta({
  id: 'EpicDetail',
  examples: [
    {
      id: 'EpicB',
      status: 'wip',
      tasks: ['TaskB1', 'TaskB2'],
      bugs: ['BugB1'],
      epics: [],
      parents: ['EpicA'],
      progress: { tasksDone: 0, tasksOpen: 2, bugsFixed: 0, bugsOpen: 1 },
    },
  ],
});

export const BacklogViewSchema = z.object({ epics: list(EpicViewSchema) }).meta({
  id: 'BacklogView',
  description: 'Every epic with its status, in creation order.',
  examples: [{ epics: [{ id: 'EpicA', status: 'wip', tasks: ['TaskA1'], bugs: [], epics: [] }] }],
});

export const EpicStatusListSchema = list(z.object({ id: z.string(), status: StatusSchema })).meta({
  id: 'EpicStatusList',
});

export const BugListSchema = list(
  z.object({ id: z.string(), epics: list(z.string()).meta({ description: 'The epics that report the bug.' }) }),
).meta({ id: 'BugList', examples: [[{ id: 'BugB1', epics: ['EpicB'] }]] });

export const TaskListSchema = list(z.object({ id: z.string(), epic: z.string() })).meta({
  id: 'TaskList',
  examples: [[{ id: 'TaskA1', epic: 'EpicA' }]],
});

export const BlockedEpicsSchema = z
  .object({
    bug: z
      .string()
      .nullable()
      .meta({ description: 'The bug asked about, or null for every epic whose status is blocked.' }),
    blocked: EpicStatusListSchema,
    highest: list(z.string()).meta({ description: 'The blocked epics that no other blocked epic links to.' }),
  })
  .meta({
    id: 'BlockedEpics',
    examples: [
      {
        bug: 'BugB1',
        blocked: [
          { id: 'EpicA', status: 'wip' },
          { id: 'EpicB', status: 'wip' },
        ],
        highest: ['EpicA'],
      },
    ],
  });

export const NewEpicSchema = z
  .strictObject({
    id: EpicIdSchema,
    tasks: z.array(IdSchema).optional(),
    bugs: z.array(IdSchema).optional(),
    epics: z.array(IdSchema).optional().meta({ description: 'Ids of existing epics to link to.' }),
  })
  .meta({ examples: [{ id: 'EpicF', tasks: ['TaskF1'], bugs: [], epics: ['EpicC'] }] });

export const EpicItemSchema = z
  .strictObject({ type: z.enum(['task', 'bug']), id: IdSchema })
  .meta({ examples: [{ type: 'task', id: 'TaskC1' }] });

export const IdBodySchema = z.strictObject({ id: IdSchema }).meta({ examples: [{ id: 'BugC1' }] });
export const ChildLinkSchema = z.strictObject({ id: IdSchema }).meta({ examples: [{ id: 'EpicC' }] });

export const EpicRefSchema = z
  .strictObject({ id: IdSchema, epic: IdSchema })
  .meta({ examples: [{ id: 'TaskC1', epic: 'EpicC' }] });

/** The request headers of every mutation (SPEC section 7). */
export const MutationHeadersSchema = z.object({
  'if-match': z
    .string()
    .optional()
    .meta({
      description:
        'Commit only if the backlog is still at this revision: the ETag of what you read, such as `"1764505000123"`; otherwise 412 and nothing is written. `*` accepts any revision. Left out: commit whatever the revision.',
      // `*`: a documented example must work whenever it is replayed; a revision number works only once.
      examples: ['*'],
    }),
  prefer: z
    .string()
    .optional()
    .meta({
      description:
        '`return=minimal`: answer 204 with the new ETag and no body. Left out: answer the whole recomputed backlog.',
      examples: ['return=minimal'],
    }),
});

/** 204: the answer to `Prefer: return=minimal`. */
export const NoContentSchema = z.null().meta({ description: 'No body (Prefer: return=minimal)' });
