import { errorCodes, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { RequestInvalid } from './http-errors.js';
import { pointer } from './validation.js';

/** The members of a JSON object in document order, each key once. */
export type JsonEntries = readonly (readonly [string, unknown])[];

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * When the JSON body is an object, its members in document order. The body itself
     * is a JavaScript object, which lists integer-like keys ("10", "3") first.
     */
    bodyEntries?: JsonEntries;
  }
}

// Parsing yields to the event loop once a slice has run this long, so that a large
// body cannot hold every other request up (the body limit bounds the total).
const SLICE_MS = 10;
// How many steps run between two looks at the clock.
const STEPS_PER_CHECK = 1024;

const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters looked for
const ESCAPE_OR_CONTROL = /[\\\u0000-\u001f]/;

// Validators get the body, not the request: the body carries its entries too (a symbol,
// which neither Object.keys nor JSON.stringify sees), so that a dictionary of 740,000
// keys is validated without enumerating the keys of a 740,000-key object (about a second).
const ENTRIES = Symbol('entries in document order');

/** The members of a body parsed here, when it is an object, in document order. */
export function entriesOf(body: object): JsonEntries | undefined {
  return (body as { [ENTRIES]?: JsonEntries })[ENTRIES];
}

/**
 * The one parser of application/json bodies: the bytes are decoded here, once, as
 * strict UTF-8 (an invalid byte is a 400, not a silent U+FFFD), and parsed once. A key
 * repeated inside one object is a 400 naming it (SPEC section 1): JSON.parse would
 * keep the last one and lose work. `__proto__` is an ordinary key (an own property).
 */
export const jsonBody = fp(
  async (app) => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    app.decorateRequest('bodyEntries', undefined);
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      async (request: FastifyRequest, body: Buffer) => {
        let text: string;
        try {
          text = decoder.decode(body);
        } catch {
          throw new RequestInvalid([{ in: 'body', path: '/', message: 'is not valid UTF-8' }]);
        }
        if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
        const { value, entries } = await parseJson(text);
        if (entries) {
          request.bodyEntries = entries;
          Object.defineProperty(value, ENTRIES, { value: entries });
        }
        return value;
      },
    );
  },
  { name: 'json-body' },
);

interface Frame {
  readonly container: Record<string, unknown> | unknown[];
  /** The key of the member being read, in an object. */
  key?: string;
}

class JsonSyntaxError extends Error {}

/**
 * Parses a JSON text (RFC 8259) without recursion (any depth is fine), refusing a
 * repeated key, and gives the members of a top-level object in document order.
 */
export async function parseJson(text: string): Promise<{ value: unknown; entries?: JsonEntries }> {
  try {
    return await parse(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
    throw error;
  }
}

async function parse(text: string): Promise<{ value: unknown; entries?: JsonEntries }> {
  const stack: Frame[] = [];
  let entries: [string, unknown][] | undefined;
  let root: unknown;
  let i = skipSpace(text, 0);
  let steps = 0;
  let sliceStart = performance.now();

  // Puts a value in the current container (or makes it the root); containers are put
  // when opened and filled afterwards.
  const put = (value: unknown) => {
    const frame = stack[stack.length - 1];
    if (!frame) {
      root = value;
      return;
    }
    if (Array.isArray(frame.container)) {
      frame.container.push(value);
      return;
    }
    const key = frame.key as string;
    if (Object.hasOwn(frame.container, key)) throw repeatedKey(stack, key);
    // An own property even for `__proto__`, which an assignment would take as the prototype.
    if (key === '__proto__')
      Object.defineProperty(frame.container, key, { value, enumerable: true, writable: true, configurable: true });
    else frame.container[key] = value;
    if (stack.length === 1) entries?.push([key, value]);
  };

  for (;;) {
    if (++steps === STEPS_PER_CHECK) {
      steps = 0;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    // A value is expected at i.
    const char = text.charCodeAt(i);
    let opened = false;
    if (char === 0x7b /* { */) {
      const object: Record<string, unknown> = {};
      put(object);
      if (stack.length === 0) entries = [];
      stack.push({ container: object });
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === 0x7d /* } */) {
        i++;
      } else {
        i = readKey(text, i, stack[stack.length - 1] as Frame);
        continue;
      }
      opened = true;
    } else if (char === 0x5b /* [ */) {
      const array: unknown[] = [];
      put(array);
      stack.push({ container: array });
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) !== 0x5d /* ] */) continue;
      i++;
      opened = true;
    } else if (char === 0x22 /* " */) {
      const end = endOfString(text, i);
      put(stringAt(text, i, end));
      i = end + 1;
    } else {
      // A number, true, false or null; whatever follows is checked as a delimiter below.
      SCALAR.lastIndex = i;
      const token = SCALAR.exec(text)?.[0];
      if (token === undefined) throw new JsonSyntaxError();
      put(token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : Number(token));
      i += token.length;
    }
    // The value is complete (an empty container is closed at once): close the containers it ends.
    if (opened) stack.pop();
    for (;;) {
      i = skipSpace(text, i);
      const frame = stack[stack.length - 1];
      if (!frame) {
        if (i !== text.length) throw new JsonSyntaxError();
        return { value: root, entries };
      }
      const next = text.charCodeAt(i);
      const isArray = Array.isArray(frame.container);
      if (next === 0x2c /* , */) {
        i = skipSpace(text, i + 1);
        if (!isArray) i = readKey(text, i, frame);
        break;
      }
      if (next !== (isArray ? 0x5d /* ] */ : 0x7d) /* } */) throw new JsonSyntaxError();
      stack.pop();
      i++;
    }
  }
}

/** Reads `"key" :` at i into the frame; returns where the member's value starts. */
function readKey(text: string, i: number, frame: Frame): number {
  if (text.charCodeAt(i) !== 0x22) throw new JsonSyntaxError();
  const end = endOfString(text, i);
  frame.key = stringAt(text, i, end);
  const colon = skipSpace(text, end + 1);
  if (text.charCodeAt(colon) !== 0x3a /* : */) throw new JsonSyntaxError();
  return skipSpace(text, colon + 1);
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const char = text.charCodeAt(i);
    if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) return i;
    i++;
  }
}

/** The index of the closing quote of the string opening at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) throw new JsonSyntaxError();
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/** The string from the quote at `start` to the one at `end`. */
function stringAt(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  // Escapes, and the control characters JSON forbids in strings: JSON.parse checks the token.
  return ESCAPE_OR_CONTROL.test(raw) ? (parseToken(text.slice(start, end + 1)) as string) : raw;
}

function parseToken(token: string): unknown {
  try {
    return JSON.parse(token);
  } catch {
    throw new JsonSyntaxError();
  }
}

function repeatedKey(stack: readonly Frame[], key: string): RequestInvalid {
  // The pointer of the repeated member: each enclosing container's key or index, then the key.
  const segments = stack.slice(0, -1).map((frame) => {
    const { container } = frame;
    return Array.isArray(container) ? String(container.length - 1) : (frame.key as string);
  });
  const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return new RequestInvalid([
    {
      in: 'body',
      path: pointer([...segments, key]),
      message: `key ${JSON.stringify(shown)} is given twice in one object; a JSON parser would keep only the last`,
    },
  ]);
}
