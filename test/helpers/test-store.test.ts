import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from './free-port.js';
import { createTestStore } from './test-store.js';

describe('the test store', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is the memory store when TEST_STORE is unset', async () => {
    vi.stubEnv('TEST_STORE', '');
    const store = await createTestStore();
    await store.ping();
    await store.close();
  });

  it('refuses a TEST_STORE it does not know, instead of running on memory', async () => {
    vi.stubEnv('TEST_STORE', 'mongodb');
    await expect(createTestStore()).rejects.toThrow('TEST_STORE=mongodb names no test store; use memory or mongo');
  });

  it('fails a MongoDB run whose server cannot be reached, instead of running on memory', async () => {
    vi.stubEnv('TEST_STORE', 'mongo');
    vi.stubEnv('MONGODB_URI', `mongodb://127.0.0.1:${await freePort()}/?directConnection=true`);
    await expect(createTestStore()).rejects.toThrow(/^TEST_STORE=mongo, but MongoDB at .* cannot be reached$/);
  });

  it('fails a MongoDB run without MONGODB_URI', async () => {
    vi.stubEnv('TEST_STORE', 'mongo');
    vi.stubEnv('MONGODB_URI', '');
    await expect(createTestStore()).rejects.toThrow(/MONGODB_URI is not set/);
  });
});
