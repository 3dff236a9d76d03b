import { z } from 'zod';
import { type BacklogEvent, STATUSES } from '../domain/index.js';

const statusOrNull = z.enum(STATUSES).nullable();

/** An event as the stores keep it (SPEC section 8), checked with zod when read back. */
export const storedEventSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  at: z.iso.datetime(),
  actor: z.string().nullable(),
  operation: z.strictObject({ method: z.string(), route: z.string(), ids: z.array(z.string()) }),
  changes: z.array(z.strictObject({ epic: z.string(), from: statusOrNull, to: statusOrNull })),
});

/** An event's fields but its `seq`, which is the revision of the record that holds it. */
export const eventFieldsSchema = storedEventSchema.omit({ seq: true });

export function toStoredEvent({ seq, at, actor, operation, changes }: BacklogEvent): BacklogEvent {
  return {
    seq,
    at,
    actor,
    operation: { method: operation.method, route: operation.route, ids: [...operation.ids] },
    changes: changes.map(({ epic, from, to }) => ({ epic, from, to })),
  };
}
