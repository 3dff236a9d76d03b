const PREFIX = '#/components/schemas/';
const INPUT = 'Input';

type Schemas = Record<string, unknown>;

function withRefsRenamed<T>(value: T, renamed: ReadonlyMap<string, string>): T {
  return JSON.parse(JSON.stringify(value), (key, item) => {
    if (key !== '$ref' || typeof item !== 'string' || !item.startsWith(PREFIX)) return item;
    const target = renamed.get(item.slice(PREFIX.length));
    return target === undefined ? item : PREFIX + target;
  });
}

function referencedNames(value: unknown, into: Set<string>): void {
  JSON.stringify(value, (key, item) => {
    if (key === '$ref' && typeof item === 'string' && item.startsWith(PREFIX)) into.add(item.slice(PREFIX.length));
    return item;
  });
}

/**
 * @fastify/type-provider-zod documents every registered schema twice, as read in a
 * request (`XInput`) and as written in an answer (`X`), even when both read the same
 * and when nothing refers to one of them. This keeps one schema wherever the two are
 * the same, and drops the input copies that nothing refers to; an input schema that
 * differs from its output one and is used stays, under its own name.
 */
export function withoutDuplicateInputSchemas<T>(document: T): T {
  const schemas = (document as { components?: { schemas?: Schemas } }).components?.schemas;
  if (!schemas) return document;

  // Pairs that read the same once every pair found the same is merged (found by narrowing).
  let merged = new Map(
    Object.keys(schemas)
      .filter((name) => name.endsWith(INPUT) && schemas[name.slice(0, -INPUT.length)] !== undefined)
      .map((name) => [name, name.slice(0, -INPUT.length)]),
  );
  for (let size = -1; size !== merged.size; ) {
    size = merged.size;
    const current = merged;
    merged = new Map(
      [...current].filter(
        ([input, output]) =>
          JSON.stringify(withRefsRenamed(schemas[input], current)) === JSON.stringify(schemas[output]),
      ),
    );
  }
  const result = withRefsRenamed(document, merged);
  const kept = (result as { components: { schemas: Schemas } }).components.schemas;
  for (const name of merged.keys()) delete kept[name];

  // Input copies that nothing outside the schemas refers to, directly or through other schemas.
  const reachable = new Set<string>();
  referencedNames(
    { ...result, components: { ...(result as { components: object }).components, schemas: {} } },
    reachable,
  );
  for (let queue = [...reachable]; queue.length > 0; ) {
    const found = new Set<string>();
    for (const name of queue) referencedNames(kept[name], found);
    queue = [...found].filter((name) => !reachable.has(name));
    for (const name of queue) reachable.add(name);
  }
  for (const name of Object.keys(kept)) {
    if (name.endsWith(INPUT) && !reachable.has(name)) delete kept[name];
  }
  return result;
}
