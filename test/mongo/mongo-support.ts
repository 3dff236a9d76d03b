import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import type { BacklogStore } from '../../src/domain/index.js';
import { createMongoStore, type MongoStoreOptions } from '../../src/repo/mongo-store.js';
import { freePort } from '../helpers/free-port.js';

export const silentLogger = pino({ level: 'silent' });

export function mongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run these tests with bash scripts/suites/mongo.sh');
  return uri;
}

/** A database of its own for each test, so tests never see each other's data. */
export function uniqueDbName(): string {
  return `backlog_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

export function openMongoStore(
  dbName: string,
  options: Partial<MongoStoreOptions> = {},
  uri: string = mongoUri(),
): Promise<BacklogStore> {
  // The queue's wait bound sheds load (tested on its own); here 100 queued commits on a shared
  // test server must all get their turn, however slow each one is on a busy machine.
  return createMongoStore({ uri, dbName, logger: silentLogger, timeoutMs: 3000, queueWaitMs: 60_000, ...options });
}

/**
 * Databases and stores for the tests of a file: each test's stores are closed, and
 * its databases dropped, after it.
 */
export function testDatabases() {
  const dbNames: string[] = [];
  const stores: BacklogStore[] = [];
  const closeStores = async () => {
    for (const store of stores.splice(0)) await store.close();
  };
  afterEach(async () => {
    await closeStores();
    for (const dbName of dbNames.splice(0)) await dropDatabase(dbName);
  });
  return {
    /** A new database, dropped after the test. */
    create(): string {
      const dbName = uniqueDbName();
      dbNames.push(dbName);
      return dbName;
    },
    /** A store on `dbName`, closed after the test. */
    async open(dbName: string, options: Partial<MongoStoreOptions> = {}): Promise<BacklogStore> {
      const store = await openMongoStore(dbName, options);
      stores.push(store);
      return store;
    },
    closeStores,
  };
}

/** Runs `action` with a plain driver client on the test server (to drop, inspect or damage data). */
export async function withClient<T>(action: (client: MongoClient) => Promise<T>, uri: string = mongoUri()): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await action(client);
  } finally {
    await client.close();
  }
}

export function dropDatabase(dbName: string): Promise<unknown> {
  return withClient((client) => client.db(dbName).dropDatabase());
}

/** A SecantusDB server this test owns, so it can kill and restart it (SECANTUS_CMD, set by mongo.sh). */
export class OwnServer {
  private process: ChildProcess | undefined;
  readonly uri: string;

  constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly extraArgs: readonly string[] = [],
  ) {
    this.uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  }

  async start(): Promise<void> {
    const command = process.env.SECANTUS_CMD;
    if (!command) throw new Error('SECANTUS_CMD is not set: run these tests with bash scripts/suites/mongo.sh');
    const child = spawn(
      command,
      // --sync-on-commit: SecantusDB ignores `j: true` on commitTransaction (see docs/mongodb.md).
      [
        '--host',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--storage-path',
        this.dataDir,
        '--log-level',
        'ERROR',
        '--sync-on-commit',
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    this.process = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`SecantusDB exited with ${child.exitCode}`);
      if (await this.ping()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`SecantusDB did not answer on port ${this.port} within 60 s`);
  }

  async ping(): Promise<boolean> {
    const client = new MongoClient(this.uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return true;
    } catch {
      return false;
    } finally {
      await client.close();
    }
  }

  /** Kills the server the hard way (SIGKILL): nothing gets a chance to flush. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export { freePort };
