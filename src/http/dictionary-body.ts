import type { FastifyRequest } from 'fastify';
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import type { z } from 'zod';
import type { Dictionary } from '../domain/index.js';
import { dictionaryIssues } from './bounded-bodies.js';
import { RequestInvalid } from './http-errors.js';
import { entriesOf } from './json-body.js';
import { boundedValidatorCompiler, zodIssues } from './validation.js';

/**
 * The validator of the routes whose body is a dictionary. zod's record skips a
 * `__proto__` key (it guards the object it builds), yet `__proto__` is an ordinary
 * epic id; and zod spends microseconds per entry. So the body's entries are checked
 * with the id rule directly (bounded-bodies.ts), each error reported at its key as the
 * record would (`/EpicA/Tasks/0`), and the check stops at 100 invalid fields.
 */
export function dictionaryValidatorCompiler<S>(route: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  // Other request parts, and bodies that are not objects, as on any route.
  const validateAsDeclared = boundedValidatorCompiler(route as unknown as FastifyRouteSchemaDef<z.ZodType>);
  if (route.httpPart !== 'body') return validateAsDeclared;
  return (data: unknown) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return validateAsDeclared(data);
    const issues = dictionaryIssues(entriesOf(data) ?? Object.entries(data), zodIssues);
    if (issues.length === 0) return { value: data };
    return { error: new RequestInvalid(issues.map((issue) => ({ in: 'body' as const, ...issue }))) };
  };
}

/**
 * The validated dictionary in document order, as the JSON parser (json-body.ts) read
 * it: a JavaScript object would list integer-like ids first.
 */
export function dictionaryOf(request: FastifyRequest): Dictionary {
  if (!request.bodyEntries) throw new Error('a dictionary body is a JSON object, read by the JSON parser');
  // Each entry was checked by dictionaryValidatorCompiler: the entries hold the very values of the body.
  return request.bodyEntries as Dictionary;
}

/** Serialises dictionary entries as one JSON object, keys in the entries' order. */
export function dictionaryJson(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([id, entry]) => `${JSON.stringify(id)}:${JSON.stringify(entry)}`).join(',')}}`;
}
