/** The strong entity tag of a revision (SPEC section 7): every /v1 answer carries the revision it was built from. */
export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/**
 * Whether an If-None-Match header matches the tag. RFC 9110 section 13.1.2:
 * `*` matches any current representation, and the comparison is weak (a `W/`
 * prefix on either side is ignored).
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === wanted);
}

/**
 * The revisions an If-Match header accepts, or undefined when any will do (no
 * header, or `*`: the backlog always exists). The comparison is strong (RFC 9110
 * section 13.1.1): a weak tag, or one that is not a revision, matches nothing.
 */
export function revisionsOfIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? [])
    .filter((tag) => !tag.startsWith('W/'))
    .map((tag) => tag.slice(1, -1))
    .filter((opaque) => /^\d{1,15}$/.test(opaque))
    .map(Number);
}
