import { z } from 'zod';
import { BacklogViewSchema, NoContentSchema } from './backlog-schemas.js';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'params', 'querystring', 'headers']),
          path: z.string().meta({ description: 'JSON Pointer to the invalid field' }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Each invalid field (400 only).' }),
  })
  .meta({
    id: 'Problem',
    // Examples are per status and operation (src/http/openapi-examples.ts).
    description: 'An RFC 9457 problem (application/problem+json).',
  });
export type Problem = z.infer<typeof ProblemSchema>;

/** The problems any route can answer: bad input, auth, unknown paths and methods, limits, an unreachable store. */
const COMMON_PROBLEM_STATUSES = [400, 401, 404, 405, 413, 415, 429, 503] as const;
type ProblemResponses<S extends number> = { [K in S]: typeof ProblemSchema };

/**
 * A route's responses: its successes plus every problem status it can answer: the
 * common ones (or `common`, for the probes outside /v1), and `extra` such as 409.
 */
export function withProblems<T extends Record<number, z.ZodType>, E extends number = never>(
  success: T,
  extra: readonly E[] = [],
  common: readonly number[] = COMMON_PROBLEM_STATUSES,
): T & ProblemResponses<(typeof COMMON_PROBLEM_STATUSES)[number] | E> {
  const problems = Object.fromEntries([...common, ...extra].map((status) => [status, ProblemSchema]));
  return { ...problems, ...success } as T & ProblemResponses<(typeof COMMON_PROBLEM_STATUSES)[number] | E>;
}

/**
 * A mutation's responses: the whole backlog with `status` (200, or 201 for a
 * creation), 204 for `Prefer: return=minimal`, 412 for a stale If-Match, and the problems.
 */
export function mutationResponses<S extends 200 | 201, E extends number = never>(status: S, extra: readonly E[] = []) {
  const success = { [status]: BacklogViewSchema, 204: NoContentSchema } as {
    [K in S]: typeof BacklogViewSchema;
  } & { 204: typeof NoContentSchema };
  return withProblems(success, [412, ...extra]);
}
