import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { TEST_ENV } from '../helpers/test-app.js';

// Issue 12, case 8: `MONGODB_URI: ... (got "mongo://admin:hunter2@db.internal:27017")`.
function configError(env: Record<string, string>): string {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('credentials in configuration errors (issue 12, case 8)', () => {
  it('names the variable and hides the password of a refused URI', () => {
    const message = configError({ MONGODB_URI: 'mongo://admin:hunter2@db.internal:27017' });
    expect(message).toMatch(/^Invalid configuration: MONGODB_URI: a mongodb:\/\/ or mongodb\+srv:\/\/ URI/);
    expect(message).toContain('mongo://***@db.internal:27017');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('admin');
  });

  it('hides a password that itself holds an @', () => {
    const message = configError({ MONGODB_URI: 'mongo://admin:p@ss@db.internal/x' });
    expect(message).not.toMatch(/p@ss|ss@db/);
    expect(message).toContain('***@db.internal');
  });

  it('never shows a refused API key', () => {
    const message = configError({ API_KEYS: ' , ', AUTH_READS: 'maybe' });
    expect(message).toMatch(/API_KEYS: .*\(got \*\*\* \(hidden\)\)/);
  });
});

describe('credentials in log lines (issue 12, case 8)', () => {
  it('never writes a key, a bearer token or a URI password, whatever is logged', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ ...TEST_ENV, LOG_LEVEL: 'trace', API_KEYS: 'alpha-key-0001,beta-key-0002' });
    const logger = createLogger(config, sink);
    const app = await buildApp({ config, store: createMemoryStore(), logger });
    try {
      app.get('/boom', async () => {
        throw new Error('cannot reach mongodb://admin:hunter2@db.internal:27017/backlog');
      });
      await app.inject({
        method: 'POST',
        url: '/v1/epics',
        headers: { authorization: 'Bearer wrong-key-9999' },
        payload: { id: 'E' },
      });
      await app.inject({
        method: 'POST',
        url: '/v1/epics',
        headers: { authorization: 'Bearer alpha-key-0001' },
        payload: { id: 'E' },
      });
      await app.inject({
        url: '/boom',
        headers: { authorization: 'Bearer beta-key-0002', cookie: 'session=cookie-secret' },
      });
      app.log.warn(
        { headers: { authorization: 'Bearer beta-key-0002' }, uri: 'mongodb+srv://u:hunter2@c.example' },
        'x',
      );
      app.log.info('retrying with Authorization: Bearer alpha-key-0001');
    } finally {
      await app.close();
    }
    const text = lines.join('');
    expect(text).toContain('***@db.internal');
    for (const secret of ['hunter2', 'alpha-key-0001', 'beta-key-0002', 'wrong-key-9999', 'cookie-secret']) {
      expect(text).not.toContain(secret);
    }
  });
});
