import type { FastifyBaseLogger } from 'fastify';
import type { BacklogStore } from '../domain/index.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  logger: FastifyBaseLogger;
}

// Placeholder until the MongoDB store lands (issue 3).
export async function createMongoStore(_options: MongoStoreOptions): Promise<BacklogStore> {
  throw new Error('The MongoDB store is not implemented yet');
}
