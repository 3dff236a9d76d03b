import { InvalidId } from './errors.js';

/** The id `blocked` is owned by the fixed path /v1/epics/blocked. */
export const RESERVED_EPIC_IDS: ReadonlySet<string> = new Set(['blocked']);
export const MAX_ID_LENGTH = 200;

// White space as JavaScript's trim() knows it, spelled out because `\s` means
// something else in other regex dialects (clients validate with this pattern too).
const SPACE = ' \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const CONTROL = '\\u0000-\\u001f\\u007f';
// Blank list items are ignored (SPEC section 1): any white space trim() removes, tabs and line breaks included.
const BLANK = `${SPACE}\\t\\n\\u000b\\f\\r`;
const EDGE = `[^${CONTROL}${SPACE}]`;
const INNER = `[^${CONTROL}]`;

/**
 * 1 to 200 code points, no control characters, no white space at either end. The
 * pattern cannot say "well-formed": other dialects (Rust, Python) cannot even hold a
 * lone surrogate, and refuse a pattern that names one; idProblem checks it.
 */
const ID = `${EDGE}(?:${INNER}{0,${MAX_ID_LENGTH - 2}}${EDGE})?`;
const RESERVED = [...RESERVED_EPIC_IDS].map((id) => `${id}$`).join('|');

export const ID_PATTERN = `^${ID}$`;
/** An id, or a blank string (ignored inside dictionary lists). */
export const ID_OR_BLANK_PATTERN = `^(?:[${BLANK}]*|${ID})$`;
/** An epic id: an id other than the reserved ones. */
export const EPIC_ID_PATTERN = `^(?!${RESERVED})${ID}$`;

const idRegex = new RegExp(ID_PATTERN, 'u');
const blankRegex = new RegExp(`^[${BLANK}]*$`, 'u');

export function isBlank(value: string): boolean {
  return blankRegex.test(value);
}

/** Why `id` is not a valid id, or undefined when it is. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  // Counting code points costs an array per id: only ids longer in UTF-16 units can be too long.
  if (id.length > MAX_ID_LENGTH && [...id].length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  // A lone surrogate: MongoDB (BSON is UTF-8) would store U+FFFD instead, a different id.
  if (!id.isWellFormed()) return 'must be well-formed Unicode (it contains a lone surrogate such as \\ud800)';
  if (idRegex.test(id)) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rule refuses
  if (/[\u0000-\u001f\u007f]/u.test(id)) return 'must not contain control characters';
  return 'must not start or end with white space';
}

/** Why `id` is not a valid epic id, or undefined when it is. */
export function epicIdProblem(id: string): string | undefined {
  return idProblem(id) ?? (RESERVED_EPIC_IDS.has(id) ? 'is reserved (the path /v1/epics/blocked owns it)' : undefined);
}

export function assertId(id: string): void {
  const problem = idProblem(id);
  if (problem) throw new InvalidId(id, problem);
}

export function assertEpicId(id: string): void {
  const problem = epicIdProblem(id);
  if (problem) throw new InvalidId(id, problem);
}
