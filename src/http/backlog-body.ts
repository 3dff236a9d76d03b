import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import { type Backlog, type Committed, type Epic, epicViewOf, type Status } from '../domain/index.js';

const compressors = {
  br: (body: Buffer) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (body: Buffer) => promisify(gzip)(body),
} as const;
export type Encoding = keyof typeof compressors;
const ENCODINGS = Object.keys(compressors) as Encoding[];

interface Fragment {
  readonly epic: Epic;
  readonly status: Status;
  readonly json: string;
}

interface RevisionBody {
  readonly revision: number;
  readonly json: Buffer;
  readonly compressed: Map<Encoding, Promise<Buffer>>;
}

/**
 * The BacklogView answer of a revision, serialised once and shared by every
 * reader of that revision, with its compressed forms made once, when first asked
 * for. After a commit only the epics whose view changed are serialised again: each
 * epic's JSON is kept with the epic object and status it was made from.
 */
export function createBacklogBodies() {
  const fragments = new Map<string, Fragment>();
  let latest: RevisionBody | undefined;

  function serialise(backlog: Backlog): Buffer {
    const parts: string[] = new Array(backlog.size);
    let i = 0;
    for (const epic of backlog.epics.values()) {
      const status = backlog.status(epic.id);
      let fragment = fragments.get(epic.id);
      if (fragment?.epic !== epic || fragment.status !== status) {
        fragment = { epic, status, json: JSON.stringify(epicViewOf(epic, status)) };
        fragments.set(epic.id, fragment);
      }
      parts[i++] = fragment.json;
    }
    if (fragments.size > backlog.size) {
      for (const id of fragments.keys()) if (!backlog.has(id)) fragments.delete(id);
    }
    return Buffer.from(`{"epics":[${parts.join(',')}]}`);
  }

  function bodyOf({ backlog, revision }: Committed): RevisionBody {
    if (latest?.revision !== revision) latest = { revision, json: serialise(backlog), compressed: new Map() };
    return latest;
  }

  return {
    /**
     * The answer for a committed backlog, in the best encoding `acceptEncoding` allows.
     * Call it before the next await: the backlog is read synchronously.
     */
    answer(committed: Committed, acceptEncoding: string | undefined): Promise<{ body: Buffer; encoding?: Encoding }> {
      const body = bodyOf(committed);
      const encoding = acceptEncoding ? negotiate(acceptEncoding, ENCODINGS) : null;
      if (!encoding || body.json.length < 1024) return Promise.resolve({ body: body.json });
      let compressed = body.compressed.get(encoding);
      if (!compressed) {
        compressed = compressors[encoding](body.json);
        body.compressed.set(encoding, compressed);
      }
      return compressed.then((bytes) => ({ body: bytes, encoding }));
    },
  };
}

export type BacklogBodies = ReturnType<typeof createBacklogBodies>;
