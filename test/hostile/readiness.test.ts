import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BacklogStore } from '../../src/domain/index.js';
import { READY_PROBE_FILE } from '../../src/repo/disk-readiness.js';
import { createFileStore, SNAPSHOT_FILE } from '../../src/repo/file-store.js';
import { buildTestApp, expectProblem } from '../helpers/test-app.js';

// Issue 12, case 5: /readyz said 200 while the disk was full and every write got 503,
// and took 5 s to say 503 with MongoDB down (the probe gives up at 2 s).
describe('/readyz reflects whether writes can succeed (issue 12, case 5)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-ready-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('turns 503 when the disk is full, naming the failed write, and 200 again once a write can succeed', async () => {
    const store = await createFileStore({ dataDir, minFreeBytes: 0 });
    const app = await buildTestApp({}, store);
    expect((await app.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'E1' } })).statusCode).toBe(201);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    // A full disk: every file the store writes next is /dev/full, where a write fails with ENOSPC.
    // (A replacement of the whole backlog is written as a new snapshot, through a temporary file.)
    await symlink('/dev/full', path.join(dataDir, `${SNAPSHOT_FILE}.${process.pid}.tmp`));
    await symlink('/dev/full', path.join(dataDir, READY_PROBE_FILE));
    expectProblem(await app.inject({ method: 'PUT', url: '/v1/backlog', payload: { E1: {}, E2: {} } }), 503);
    expect((await app.inject({ url: '/v1/epics' })).json()).toEqual([{ id: 'E1', status: 'completed' }]);
    const notReady = expectProblem(await app.inject({ url: '/readyz' }), 503);
    expect(notReady.detail).toMatch(/last write failed .*ENOSPC/);
    expect(existsSync(path.join(dataDir, READY_PROBE_FILE))).toBe(false); // the test write cleans up
    // The disk has room again.
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'E2' } })).statusCode).toBe(201);
    expect((await app.inject({ url: '/v1/epics' })).json()).toEqual([
      { id: 'E1', status: 'completed' },
      { id: 'E2', status: 'completed' },
    ]);
  });

  it('turns 503 when the data folder has less free space than DATA_MIN_FREE_BYTES', async () => {
    const store = await createFileStore({ dataDir, minFreeBytes: Number.MAX_SAFE_INTEGER });
    const app = await buildTestApp({}, store);
    expect(expectProblem(await app.inject({ url: '/readyz' }), 503).detail).toMatch(/free, under DATA_MIN_FREE_BYTES/);
  });

  it('answers 503 within its bound when the store does not answer at all', async () => {
    const never = () => new Promise<never>(() => undefined);
    const hanging: BacklogStore = {
      read: never,
      update: never,
      events: never,
      history: never,
      watch: () => () => undefined,
      ping: never,
      close: async () => undefined,
    };
    const app = await buildTestApp({}, hanging);
    const started = Date.now();
    const answer = await app.inject({ url: '/readyz' });
    const elapsed = Date.now() - started;
    expect(expectProblem(answer, 503).detail).toMatch(/did not answer within 1000 ms/);
    expect(answer.headers['retry-after']).toBe('1');
    // Under the 2 s the Kubernetes probe allows, with room for a busy machine.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1900);
  });
});
