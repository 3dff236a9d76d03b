import { z } from 'zod';
import { MAX_EVENTS_PAGE } from '../domain/index.js';
import { StatusSchema } from './backlog-schemas.js';

const seq = z.number().int().meta({ description: 'The revision the commit produced (the ETag of that backlog).' });
const at = z.string().meta({ description: 'When it was committed: RFC 3339, UTC.' });
const actor = z
  .string()
  .nullable()
  .meta({ description: 'The name of the API key used (`name:key` in API_KEYS, or `key-<n>`); null when auth is off.' });

export const StatusChangeSchema = z.object({
  epic: z.string(),
  from: StatusSchema.nullable().meta({ description: 'null: the epic was created.' }),
  to: StatusSchema.nullable().meta({ description: 'null: the epic was deleted.' }),
});

export const BacklogEventSchema = z
  .object({
    seq,
    at,
    actor,
    operation: z
      .object({
        method: z.string(),
        route: z.string().meta({ description: 'The route as documented, e.g. `/v1/tasks/{taskId}`.' }),
        ids: z.array(z.string()).readonly().meta({ description: 'Its path parameters, in path order.' }),
      })
      .meta({ description: 'The request that made the commit.' }),
    changes: z
      .array(StatusChangeSchema)
      .readonly()
      .meta({ description: 'The status transitions the commit caused (empty when no status changed).' }),
  })
  .meta({ id: 'BacklogEvent', description: 'One commit (SPEC section 8).' });

export const EventPageSchema = z
  .object({
    events: z.array(BacklogEventSchema).readonly(),
    next: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The `after` of the next page; null when this page reaches the latest event.' }),
  })
  .meta({ id: 'EventPage' });

export const HistorySchema = z
  .array(
    z.object({
      seq,
      at,
      from: StatusSchema.nullable().meta({ description: 'null: the epic was created.' }),
      to: StatusSchema.nullable().meta({ description: 'null: the epic was deleted.' }),
      actor,
    }),
  )
  .readonly()
  .meta({ id: 'History', description: 'The status timeline of an epic, oldest first.' });

/** `after`: a seq (a revision); `limit`: the page size. */
export const AfterSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const EventsQuerySchema = z.object({
  after: AfterSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(100),
});
