import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { BOUNDED_BODIES } from './bounded-bodies.js';
import { type InvalidField, RequestInvalid } from './http-errors.js';

/**
 * zod's messages, reworded for people who send requests: a missing field is
 * "required" (zod says "expected string, received undefined"), and an unknown key
 * close to a known one (a case slip, a typo) is named with the key it resembles.
 * Messages a schema sets itself (ids, dictionary keys) take precedence over these.
 */
export const requestErrorMap: z.core.$ZodErrorMap = (issue) => {
  const missing =
    issue.input === undefined && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code ?? '');
  if (missing) return 'required';
  if (issue.code === 'unrecognized_keys') {
    const shape = (issue.inst as { _zod: { def: { shape?: Record<string, unknown> } } } | undefined)?._zod.def.shape;
    const known = Object.keys(shape ?? {});
    return issue.keys.map((key) => unknownKeyMessage(key, known)).join('; ');
  }
  return undefined;
};

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const closest = closestKey(key, known);
  const allowed = known.length > 0 ? ` (allowed: ${known.map((name) => JSON.stringify(name)).join(', ')})` : '';
  return closest === undefined
    ? `unknown key ${JSON.stringify(key)}${allowed}`
    : `unknown key ${JSON.stringify(key)}: did you mean ${JSON.stringify(closest)}?`;
}

/** The known key that differs only in case, or by one edit (two for keys over three characters). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const sameLetters = known.find((name) => name.toLowerCase() === key.toLowerCase());
  if (sameLetters !== undefined) return sameLetters;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= (name.length > 3 ? 2 : 1) && (!best || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** Levenshtein distance; keys are short, and a key far longer than any known one is no typo. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** A JSON Pointer (RFC 6901) to the field a zod issue is about. */
export function pointer(path: readonly PropertyKey[]): string {
  return `/${path.map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

/**
 * The request validator: zod, with the messages above, answering RequestInvalid
 * (every invalid field). Bounded: a body of a few hundred thousand invalid items
 * makes zod itself overflow the stack, which Fastify would answer with a 500.
 */
export const boundedValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = (httpPart ?? 'body') as InvalidField['in'];
  const bounded = BOUNDED_BODIES.get(schema);
  if (bounded) {
    return (data) => {
      const issues = bounded(data, zodIssues);
      return issues.length === 0
        ? { value: data }
        : { error: new RequestInvalid(issues.map((issue) => ({ in: part, ...issue }))) };
    };
  }
  return (data) => {
    try {
      const result = z.safeDecode(schema, data, { error: requestErrorMap });
      if (result.success) return { value: result.data };
      return {
        error: new RequestInvalid(
          result.error.issues.map((issue) => ({ in: part, path: pointer(issue.path), message: issue.message })),
        ),
      };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return { error: new RequestInvalid([{ in: part, path: '/', message: 'has too many invalid values to list' }]) };
    }
  };
};

/** zod's issues for `data` (none when it fits), with the messages above. */
export function zodIssues(schema: z.ZodType, data: unknown): { path: string; message: string }[] {
  const result = z.safeDecode(schema, data, { error: requestErrorMap });
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: pointer(issue.path), message: issue.message }));
}
