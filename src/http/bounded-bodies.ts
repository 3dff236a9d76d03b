import type { z } from 'zod';
import { epicIdProblem, idProblem, isBlank } from '../domain/ids.js';
import { DictionaryEntrySchema, explainId, NewEpicSchema } from '../schemas/backlog-schemas.js';
import type { InvalidField } from './http-errors.js';

/** Invalid fields listed at most; validation stops there (the answer says so). */
export const MAX_INVALID_FIELDS = 100;
/** Lists longer than this are checked here, item by item, instead of by zod. */
const LONG_LIST = 256;

type Issue = Omit<InvalidField, 'in'>;
export type Decode = (schema: z.ZodType, data: unknown) => Issue[];

/**
 * zod spends microseconds per item, and more per invalid one: a 10 MB import of
 * 740,000 invalid keys held the event loop for seconds and a gigabyte. The two
 * bodies that hold unbounded collections (a dictionary, a new epic's lists) are
 * checked here instead: ids with the one id rule, at a fraction of the cost, and
 * the check stops at MAX_INVALID_FIELDS. zod still checks everything else (with
 * long lists emptied), so its messages stay the same.
 */
export const BOUNDED_BODIES = new Map<z.ZodType, (data: unknown, decode: Decode) => Issue[]>([
  [
    NewEpicSchema,
    (data, decode) => withLongListsChecked(data, [], ['tasks', 'bugs', 'epics'], idProblem, NewEpicSchema, decode),
  ],
]);

/** The invalid fields of a dictionary's entries (dictionary-body.ts), at most MAX_INVALID_FIELDS. */
export function dictionaryIssues(entries: Iterable<readonly [string, unknown]>, decode: Decode): Issue[] {
  const issues: Issue[] = [];
  for (const [key, entry] of entries) {
    if (epicIdProblem(key)) issues.push({ path: pointerTo([key]), message: explainId(key, epicIdProblem) });
    if (!isValidEntry(entry)) {
      issues.push(
        ...withLongListsChecked(
          entry,
          [key],
          ['Tasks', 'Bugs', 'Epics'],
          blankOrIdProblem,
          DictionaryEntrySchema,
          decode,
        ),
      );
    }
    if (issues.length >= MAX_INVALID_FIELDS) return stopped(issues);
  }
  return issues;
}

/** The fast path: what DictionaryEntrySchema accepts. */
function isValidEntry(entry: unknown): boolean {
  if (!isPlainObject(entry)) return false;
  for (const [name, list] of Object.entries(entry)) {
    if (name !== 'Tasks' && name !== 'Bugs' && name !== 'Epics') return false;
    if (list === undefined) continue;
    if (!Array.isArray(list)) return false;
    for (const item of list) if (typeof item !== 'string' || blankOrIdProblem(item)) return false;
  }
  return true;
}

/** zod on `data` with its long lists emptied, and the long lists' items checked here, bounded. */
function withLongListsChecked(
  data: unknown,
  at: readonly string[],
  lists: readonly string[],
  itemProblem: (id: string) => string | undefined,
  schema: z.ZodType,
  decode: Decode,
): Issue[] {
  if (!isPlainObject(data)) return prefixed(decode(schema, data), at);
  const trimmed: Record<string, unknown> = { ...data };
  const issues: Issue[] = [];
  for (const name of lists) {
    const list = data[name];
    if (!Array.isArray(list) || list.length <= LONG_LIST) continue;
    trimmed[name] = [];
    for (let index = 0; index < list.length && issues.length < MAX_INVALID_FIELDS; index++) {
      const item: unknown = list[index];
      const problem =
        typeof item === 'string' ? itemProblem(item) : `Invalid input: expected string, received ${kindOf(item)}`;
      if (problem) {
        const message = typeof item === 'string' ? explainId(item, itemProblem) : problem;
        issues.push({ path: pointerTo([...at, name, String(index)]), message });
      }
    }
  }
  if (issues.length >= MAX_INVALID_FIELDS) return stopped(issues);
  return [...prefixed(decode(schema, trimmed), at), ...issues];
}

function blankOrIdProblem(item: string): string | undefined {
  return isBlank(item) ? undefined : idProblem(item);
}

function stopped(issues: Issue[]): Issue[] {
  return [
    ...issues.slice(0, MAX_INVALID_FIELDS - 1),
    { path: '/', message: `validation stopped after ${MAX_INVALID_FIELDS - 1} invalid fields; there may be more` },
  ];
}

function prefixed(issues: readonly Issue[], at: readonly string[]): Issue[] {
  if (at.length === 0) return [...issues];
  const base = pointerTo(at);
  return issues.map((issue) => ({ ...issue, path: issue.path === '/' ? base : `${base}${issue.path}` }));
}

function pointerTo(path: readonly string[]): string {
  return `/${path.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What zod calls the type of a JSON value. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
