import type { FastifyRequest } from 'fastify';
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import { z } from 'zod';
import type { Dictionary } from '../domain/index.js';
import { DictionaryEntrySchema, EpicIdSchema } from '../schemas/backlog-schemas.js';
import { type InvalidField, RequestInvalid } from './http-errors.js';
import { boundedValidatorCompiler, pointer } from './validation.js';

// The dictionary as the list of its entries, so that every id is validated the same way.
const DictionaryEntriesSchema = z.array(z.tuple([EpicIdSchema, DictionaryEntrySchema]));

/**
 * The validator of the routes whose body is a dictionary. zod's record skips a
 * `__proto__` key (it guards the object it builds), yet `__proto__` is an ordinary
 * epic id: so the app's validator checks the body's entries instead, and each
 * error is reported at its key, as the record would (`/EpicA/Tasks/0`).
 */
export function dictionaryValidatorCompiler<S>(route: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  const zodRoute = route as unknown as FastifyRouteSchemaDef<z.ZodType>;
  // Other request parts, and bodies that are not objects, as on any route.
  const validateAsDeclared = boundedValidatorCompiler(zodRoute);
  if (route.httpPart !== 'body') return validateAsDeclared;
  const validateEntries = boundedValidatorCompiler({ ...zodRoute, schema: DictionaryEntriesSchema });
  return (data: unknown) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return validateAsDeclared(data);
    const entries = Object.entries(data);
    const result = validateEntries(entries) as { error?: Error };
    if (!(result.error instanceof RequestInvalid)) return result.error ? result : { value: data };
    return { error: new RequestInvalid(result.error.errors.map((field) => atKey(field, entries))) };
  };
}

/** `/3/1/Tasks/0` (entry 3, its value) becomes `/EpicD/Tasks/0`, and `/3/0` (its id) `/EpicD`. */
function atKey(field: InvalidField, entries: readonly [string, unknown][]): InvalidField {
  const [, index, part, ...rest] = field.path.split('/');
  const entry = /^\d+$/.test(index ?? '') ? entries[Number(index)] : undefined;
  if (!entry) return field; // about the whole body (`/`)
  return { ...field, path: [pointer([entry[0]]), ...(part === '1' ? rest : [])].join('/') };
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
