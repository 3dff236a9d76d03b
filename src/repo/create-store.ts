import type { FastifyBaseLogger } from 'fastify';
import type { StoreConfig } from '../config.js';
import type { BacklogStore } from '../domain/index.js';
import { createFileStore } from './file-store.js';
import { createMemoryStore } from './memory-store.js';

/** The store the configuration asks for. */
export async function createStore(config: StoreConfig, logger: FastifyBaseLogger): Promise<BacklogStore> {
  // Every store prunes its events by EVENTS_RETENTION_DAYS (SPEC section 8).
  const { eventsRetentionMs } = config;
  switch (config.kind) {
    case 'memory':
      return createMemoryStore(undefined, {
        queueWaitMs: config.queueWaitMs,
        eventsRetentionMs,
      });
    case 'file':
      logger.info({ dataDir: config.dataDir }, 'using the embedded store');
      return createFileStore({
        dataDir: config.dataDir,
        minFreeBytes: config.minFreeBytes,
        journalLimitBytes: config.journalLimitBytes,
        queueWaitMs: config.queueWaitMs,
        eventsRetentionMs,
        logger,
      });
    case 'mongodb': {
      const { createMongoStore } = await import('./mongo-store.js');
      return createMongoStore({
        uri: config.uri,
        dbName: config.dbName,
        timeoutMs: config.timeoutMs,
        queueWaitMs: config.queueWaitMs,
        eventsRetentionMs,
        // How often this replica looks for the commits of other replicas (EVENTS_POLL_MS).
        eventsPollMs: config.eventsPollMs,
        logger,
      });
    }
  }
}
