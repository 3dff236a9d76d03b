import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, PRODUCTION_RATE_LIMIT_MAX } from '../src/config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      host: '0.0.0.0',
      port: 3000,
      store: {
        kind: 'file',
        dataDir: './data',
        minFreeBytes: 64 * 2 ** 20,
        journalLimitBytes: 4 * 1024 * 1024,
        queueWaitMs: 5000,
        eventsRetentionMs: 90 * 86_400_000,
        eventsPollMs: 500,
      },
      apiKeys: [],
      authReads: false,
      logLevel: 'info',
      bodyLimit: 10 * 1024 * 1024,
      rateLimitMax: 0,
      trustProxy: false,
      server: {
        requestTimeoutMs: 30_000,
        headersTimeoutMs: 10_000,
        keepAliveTimeoutMs: 72_000,
        connectionTimeoutMs: 120_000,
        maxConnections: 4096,
      },
      pressure: { maxEventLoopDelayMs: 1000, maxHeapUsedBytes: undefined },
      events: { retentionDays: 90, maxClients: 1000, heartbeatMs: 15_000, pollMs: 500 },
      corsOrigins: [],
    });
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' })).toThrow(
      /HEADERS_TIMEOUT_MS: at most REQUEST_TIMEOUT_MS/,
    );
  });

  it('picks MongoDB when MONGODB_URI is set, and memory on request', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/?replicaSet=rs0' }).store).toEqual({
      kind: 'mongodb',
      uri: 'mongodb://db:27017/?replicaSet=rs0',
      dbName: 'backlog',
      timeoutMs: 5000,
      queueWaitMs: 5000,
      eventsRetentionMs: 90 * 86_400_000,
      eventsPollMs: 500,
    });
    expect(
      loadConfig({ STORE: 'memory', STORE_QUEUE_WAIT_MS: '250', EVENTS_RETENTION_DAYS: '0', EVENTS_POLL_MS: '100' })
        .store,
    ).toEqual({ kind: 'memory', queueWaitMs: 250, eventsRetentionMs: 0, eventsPollMs: 100 });
  });

  it('reads keys, flags and limits', () => {
    const config = loadConfig({ API_KEYS: ' a , b,', AUTH_READS: 'yes', RATE_LIMIT_MAX: '0', TRUST_PROXY: 'true' });
    expect(config).toMatchObject({
      apiKeys: [
        { name: 'key-1', key: 'a' },
        { name: 'key-2', key: 'b' },
      ],
      authReads: true,
      rateLimitMax: 0,
      trustProxy: true,
    });
  });

  it('reads the CORS origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173,' }).corsOrigins).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('turns the rate limit on in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS: 'k' }).rateLimitMax).toBe(PRODUCTION_RATE_LIMIT_MAX);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: a whole number from 0 to 65535 \(got "abc"\)/],
    [{ PORT: ' ' }, /PORT/],
    [{ PORT: '0x50' }, /PORT/],
    [{ PORT: '70000' }, /PORT: a whole number up to 65535/],
    [{ BODY_LIMIT: '1.5e3' }, /BODY_LIMIT/],
    [{ BODY_LIMIT: '0' }, /BODY_LIMIT/],
    [{ RATE_LIMIT_MAX: '-1' }, /RATE_LIMIT_MAX/],
    [{ AUTH_READS: 'maybe' }, /AUTH_READS/],
    [{ AUTH_READS: 'true' }, /AUTH_READS: needs API_KEYS/],
    [{ API_KEYS: ' , ' }, /API_KEYS: comma-separated keys/],
    [{ STORE: 'postgres' }, /STORE/],
    [{ STORE: 'mongodb' }, /MONGODB_URI: required when STORE=mongodb/],
    [{ MONGODB_URI: 'http://db' }, /MONGODB_URI/],
    [{ CORS_ORIGINS: 'https://a.example/app' }, /CORS_ORIGINS: comma-separated origins/],
    [{ CORS_ORIGINS: 'a.example' }, /CORS_ORIGINS/],
    [{ NODE_ENV: 'production' }, /API_KEYS: required when NODE_ENV=production/],
    [{ API_KEYS: 'ci:k1,ci:k2' }, /API_KEYS: entry 2: the name "ci" is used twice/],
    [{ API_KEYS: 'k1,key-1:k2' }, /API_KEYS: entry 2: the name "key-1" is used twice/],
    [{ API_KEYS: 'ci:k1,deploy:k1' }, /API_KEYS: entry 2 \(deploy\): the same key as an earlier entry/],
    [{ API_KEYS: 'ci:' }, /API_KEYS: entry 1 \(ci\): no key after "ci:"/],
    [{ API_KEYS: ':k1' }, /API_KEYS: entry 1: the name before ":" must be 1 to 64 letters/],
    [{ API_KEYS: 'a b:k1' }, /API_KEYS: entry 1: the name before ":"/],
    [{ API_KEYS: `${'n'.repeat(65)}:k1` }, /API_KEYS: entry 1: the name before ":"/],
    [{ EVENTS_RETENTION_DAYS: '-1' }, /EVENTS_RETENTION_DAYS/],
    [{ EVENTS_MAX_CLIENTS: '0' }, /EVENTS_MAX_CLIENTS/],
    [{ EVENTS_HEARTBEAT_MS: '5' }, /EVENTS_HEARTBEAT_MS/],
    [{ EVENTS_HEARTBEAT_MS: '130000' }, /EVENTS_HEARTBEAT_MS: below CONNECTION_TIMEOUT_MS/],
    [{ EVENTS_POLL_MS: 'often' }, /EVENTS_POLL_MS/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names each key: name:key, or key-<position> for a bare key', () => {
    expect(loadConfig({ API_KEYS: 'ci:s3cret, bare , ops.team-1 : k:with:colons' }).apiKeys).toEqual([
      { name: 'ci', key: 's3cret' },
      { name: 'key-2', key: 'bare' },
      { name: 'ops.team-1', key: 'k:with:colons' },
    ]);
  });

  it('never shows a key in a refusal', () => {
    for (const keys of ['ci:hunter2,ci:hunter3', 'ci:hunter2,ops:hunter2', 'a b:hunter2']) {
      expect(() => loadConfig({ API_KEYS: keys })).toThrow(ConfigError);
      try {
        loadConfig({ API_KEYS: keys });
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter');
      }
    }
  });

  it('reads the settings of history and live updates', () => {
    const config = loadConfig({
      EVENTS_RETENTION_DAYS: '7',
      EVENTS_MAX_CLIENTS: '3',
      EVENTS_HEARTBEAT_MS: '50',
      EVENTS_POLL_MS: '20',
    });
    expect(config.events).toEqual({ retentionDays: 7, maxClients: 3, heartbeatMs: 50, pollMs: 20 });
    expect(config.store).toMatchObject({ eventsRetentionMs: 7 * 86_400_000, eventsPollMs: 20 });
  });

  it('starts without keys in production only when told to', () => {
    expect(loadConfig({ NODE_ENV: 'production', AUTH_DISABLED: 'true' }).apiKeys).toEqual([]);
  });
});
