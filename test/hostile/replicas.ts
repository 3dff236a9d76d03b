import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { BacklogStore } from '../../src/domain/index.js';
import { createFileStore } from '../../src/repo/file-store.js';
import { TEST_ENV } from '../helpers/test-app.js';

/**
 * A service that takes hostile requests, and a way to read back what it stored
 * from elsewhere: on MongoDB (the mongo suite sets TEST_STORE=mongo) a second replica
 * on the same database; otherwise the file store reopened, as after a restart.
 */
export interface Replicas {
  readonly writer: FastifyInstance;
  /** Another service on the same stored data (for the file store, the writer is closed first). */
  readBack(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export async function openReplicas(env: Record<string, string> = {}): Promise<Replicas> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const opened: { app: FastifyInstance; store: BacklogStore }[] = [];
  const serve = async (store: BacklogStore) => {
    const app = await buildApp({ config, store });
    opened.push({ app, store });
    return app;
  };
  const closeAll = async () => {
    for (const { app, store } of opened.splice(0)) {
      await app.close();
      await store.close();
    }
  };

  if (process.env.TEST_STORE === 'mongo') {
    const { dropDatabase, openMongoStore, uniqueDbName } = await import('../mongo/mongo-support.js');
    const dbName = uniqueDbName();
    const writer = await serve(await openMongoStore(dbName));
    return {
      writer,
      readBack: async () => serve(await openMongoStore(dbName)),
      async close() {
        await closeAll();
        await dropDatabase(dbName);
      },
    };
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-hostile-'));
  const writer = await serve(await createFileStore({ dataDir }));
  return {
    writer,
    async readBack() {
      await closeAll();
      return serve(await createFileStore({ dataDir }));
    },
    async close() {
      await closeAll();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The stored backlog in the exchange format, as a second service reads it. */
export async function exported(app: FastifyInstance): Promise<unknown> {
  const response = await app.inject({ url: '/v1/export' });
  if (response.statusCode !== 200) throw new Error(`GET /v1/export: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Fresh replicas for each test of the calling describe block, the backlog replaced by `seed` first. */
export function seededReplicas(seed: Record<string, unknown>): () => Replicas {
  let replicas: Replicas | undefined;
  beforeEach(async () => {
    replicas = await openReplicas();
    const seeded = await replicas.writer.inject({ method: 'PUT', url: '/v1/backlog', payload: seed });
    expect(seeded.statusCode, seeded.body).toBe(200);
  });
  afterEach(async () => {
    await replicas?.close();
    replicas = undefined;
  });
  return () => {
    if (!replicas) throw new Error('seededReplicas() is only ready inside tests');
    return replicas;
  };
}
