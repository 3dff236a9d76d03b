import { createMemoryStore } from '../../src/repo/memory-store.js';
import { describeBacklogStoreContract } from './backlog-store.contract.js';

describeBacklogStoreContract('memory', async () => ({ store: createMemoryStore(), cleanup: async () => {} }), {
  persistent: false,
});
