import { z } from 'zod';
import { isSecretSetting, redactCredentials } from './secrets.js';

// Whole numbers in plain decimal digits: Number() would also take " ", "0x50" or "1e3".
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `a whole number from ${min}`).max(max, `a whole number up to ${max}`));
const port = wholeNumber(0, 65535);
const positiveInt = wholeNumber(1);
const flag = z.stringbool();

/** Every environment variable the service reads, with what it takes. */
const envSchema = z.strictObject({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  STORE: z.enum(['file', 'memory', 'mongodb']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  JOURNAL_LIMIT_BYTES: positiveInt.default(4 * 1024 * 1024),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')
    .optional(),
  MONGODB_TIMEOUT_MS: positiveInt.default(5000),
  MONGODB_DB: z
    .string()
    .regex(/^[^/\\. "$*<>:|?]{1,63}$/, 'a MongoDB database name')
    .default('backlog'),
  API_KEYS: z
    .string()
    .regex(/[^\s,]/, 'comma-separated keys (or name:key entries), at least one')
    .optional(),
  AUTH_READS: flag.default(false),
  AUTH_DISABLED: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: positiveInt.default(10 * 1024 * 1024),
  RATE_LIMIT_MAX: wholeNumber(0).optional(),
  TRUST_PROXY: flag.default(false),
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(72_000),
  CONNECTION_TIMEOUT_MS: positiveInt.default(120_000),
  MAX_CONNECTIONS: positiveInt.default(4096),
  STORE_QUEUE_WAIT_MS: positiveInt.default(5000),
  MAX_EVENT_LOOP_DELAY_MS: wholeNumber(0).default(1000),
  MAX_HEAP_USED_BYTES: wholeNumber(0).optional(),
  DATA_MIN_FREE_BYTES: wholeNumber(0).default(64 * 2 ** 20),
  EVENTS_RETENTION_DAYS: wholeNumber(0, 36_500).default(90),
  EVENTS_MAX_CLIENTS: positiveInt.default(1000),
  EVENTS_HEARTBEAT_MS: wholeNumber(10, 3_600_000).default(15_000),
  EVENTS_POLL_MS: wholeNumber(10, 60_000).default(500),
  CORS_ORIGINS: z
    .string()
    .refine(
      (value) => commaSeparated(value).every((origin) => origin === '*' || /^https?:\/\/[^/\s]+$/.test(origin)),
      'comma-separated origins such as https://app.example.com (scheme, host and port; no path), or *',
    )
    .optional(),
});

export const CONFIG_ENV_NAMES: readonly string[] = Object.keys(envSchema.shape);

export type StoreConfig = (
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'file';
      readonly dataDir: string;
      readonly minFreeBytes: number;
      readonly journalLimitBytes: number;
    }
  | { readonly kind: 'mongodb'; readonly uri: string; readonly dbName: string; readonly timeoutMs: number }
) & {
  /** An update that waits longer than this for the ones ahead of it is refused (503, nothing written). */
  readonly queueWaitMs: number;
  /** Events older than this are pruned (EVENTS_RETENTION_DAYS); 0 keeps all. */
  readonly eventsRetentionMs: number;
  /** MongoDB: how often a replica looks for the commits of other replicas (EVENTS_POLL_MS). */
  readonly eventsPollMs: number;
};

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly store: StoreConfig;
  /** Empty when auth is off. */
  readonly apiKeys: readonly ApiKey[];
  readonly authReads: boolean;
  readonly logLevel: string;
  readonly bodyLimit: number;
  /** Requests per minute per client; 0 turns the limit off. */
  readonly rateLimitMax: number;
  /** Behind a reverse proxy: the client is the address in X-Forwarded-For (for the rate limit and logs). */
  readonly trustProxy: boolean;
  /** Origins whose browser scripts may call the API (CORS); empty: CORS off. `*` allows any. */
  readonly corsOrigins: readonly string[];
  /** Slow clients (SPEC section 6): the server's timeouts and connection cap. */
  readonly server: ServerLimits;
  /** History and live updates (SPEC section 8). */
  readonly events: EventsConfig;
  /** Load shedding: past either bound, requests but the probes are answered 503 with Retry-After. */
  readonly pressure: {
    /** Mean event-loop delay, in ms; 0 turns the check off. */
    readonly maxEventLoopDelayMs: number;
    /** Heap in use, in bytes; undefined: 90 % of the heap limit; 0 turns the check off. */
    readonly maxHeapUsedBytes: number | undefined;
  };
}

/** An API key and the name its requests are recorded under (`actor`); the key is never shown. */
export interface ApiKey {
  readonly name: string;
  readonly key: string;
}

export interface EventsConfig {
  /** Events older than this many days may be pruned; 0 keeps all. */
  readonly retentionDays: number;
  /** Open event streams at most; past it GET /v1/events/stream answers 503. */
  readonly maxClients: number;
  /** A comment line on every open stream this often. */
  readonly heartbeatMs: number;
  /** How often a MongoDB replica looks for the commits of other replicas. */
  readonly pollMs: number;
}

export interface ServerLimits {
  /** A request (head and body) not fully received by then is answered 408. */
  readonly requestTimeoutMs: number;
  /** A request head not fully received by then is answered 408. */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; above a load balancer's idle timeout. */
  readonly keepAliveTimeoutMs: number;
  /** A connection on which nothing moves for this long is closed. */
  readonly connectionTimeoutMs: number;
  /** Connections beyond this many are refused at once. */
  readonly maxConnections: number;
}

export const PRODUCTION_RATE_LIMIT_MAX = 1000;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration once, refusing a bad setting with the variable's name and what it takes. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const known = Object.fromEntries(CONFIG_ENV_NAMES.map((name) => [name, env[name] === '' ? undefined : env[name]]));
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}: ${issue.message} (got ${shownValue(name, known[name])})`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  const apiKeys = namedKeys(commaSeparated(vars.API_KEYS));
  if (vars.AUTH_READS && apiKeys.length === 0) {
    throw new ConfigError(
      'Invalid configuration: AUTH_READS: needs API_KEYS (reads cannot require a key when there is none)',
    );
  }
  if (vars.NODE_ENV === 'production' && apiKeys.length === 0 && !vars.AUTH_DISABLED) {
    throw new ConfigError(
      'Invalid configuration: API_KEYS: required when NODE_ENV=production (or set AUTH_DISABLED=true to run without auth on purpose)',
    );
  }
  if (vars.HEADERS_TIMEOUT_MS > vars.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration: HEADERS_TIMEOUT_MS: at most REQUEST_TIMEOUT_MS (${vars.REQUEST_TIMEOUT_MS}) (got ${vars.HEADERS_TIMEOUT_MS})`,
    );
  }
  if (vars.EVENTS_HEARTBEAT_MS >= vars.CONNECTION_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration: EVENTS_HEARTBEAT_MS: below CONNECTION_TIMEOUT_MS (${vars.CONNECTION_TIMEOUT_MS}), or idle streams are closed (got ${vars.EVENTS_HEARTBEAT_MS})`,
    );
  }
  return {
    nodeEnv: vars.NODE_ENV,
    host: vars.HOST,
    port: vars.PORT,
    store: storeConfig(vars),
    apiKeys,
    authReads: vars.AUTH_READS,
    logLevel: vars.LOG_LEVEL,
    bodyLimit: vars.BODY_LIMIT,
    rateLimitMax: vars.RATE_LIMIT_MAX ?? (vars.NODE_ENV === 'production' ? PRODUCTION_RATE_LIMIT_MAX : 0),
    trustProxy: vars.TRUST_PROXY,
    corsOrigins: commaSeparated(vars.CORS_ORIGINS),
    server: {
      requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: vars.HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: vars.KEEP_ALIVE_TIMEOUT_MS,
      connectionTimeoutMs: vars.CONNECTION_TIMEOUT_MS,
      maxConnections: vars.MAX_CONNECTIONS,
    },
    events: {
      retentionDays: vars.EVENTS_RETENTION_DAYS,
      maxClients: vars.EVENTS_MAX_CLIENTS,
      heartbeatMs: vars.EVENTS_HEARTBEAT_MS,
      pollMs: vars.EVENTS_POLL_MS,
    },
    pressure: { maxEventLoopDelayMs: vars.MAX_EVENT_LOOP_DELAY_MS, maxHeapUsedBytes: vars.MAX_HEAP_USED_BYTES },
  };
}

/** A refused value as the error shows it: secrets hidden, URI credentials replaced by `***`. */
function shownValue(name: string, value: string | undefined): string {
  if (value !== undefined && isSecretSetting(name)) return '*** (hidden)';
  return redactCredentials(JSON.stringify(value) ?? 'nothing');
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * `API_KEYS` entries: `name:key`, or a bare key named `key-<position>` (SPEC section 8).
 * An entry with a colon is named by what comes before the first one. Errors name the
 * entry by its position and never show a key.
 */
function namedKeys(entries: readonly string[]): ApiKey[] {
  const refuse = (message: string) => new ConfigError(`Invalid configuration: API_KEYS: ${message}`);
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    if (colon < 0) return { name: `key-${index + 1}`, key: entry };
    const name = entry.slice(0, colon).trim();
    const key = entry.slice(colon + 1).trim();
    if (!KEY_NAME.test(name)) {
      throw refuse(
        `entry ${index + 1}: the name before ":" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
    }
    if (key.length === 0) throw refuse(`entry ${index + 1} (${name}): no key after "${name}:"`);
    return { name, key };
  });
  const names = new Set<string>();
  const secrets = new Set<string>();
  for (const [index, { name, key }] of keys.entries()) {
    if (names.has(name)) throw refuse(`entry ${index + 1}: the name ${JSON.stringify(name)} is used twice`);
    if (secrets.has(key)) throw refuse(`entry ${index + 1} (${name}): the same key as an earlier entry`);
    names.add(name);
    secrets.add(key);
  }
  return keys;
}

function commaSeparated(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function storeConfig(vars: z.infer<typeof envSchema>): StoreConfig {
  const kind = vars.STORE ?? (vars.MONGODB_URI ? 'mongodb' : 'file');
  const common = {
    queueWaitMs: vars.STORE_QUEUE_WAIT_MS,
    eventsRetentionMs: vars.EVENTS_RETENTION_DAYS * 86_400_000,
    eventsPollMs: vars.EVENTS_POLL_MS,
  };
  if (kind === 'memory') return { kind, ...common };
  if (kind === 'file')
    return {
      kind,
      dataDir: vars.DATA_DIR,
      minFreeBytes: vars.DATA_MIN_FREE_BYTES,
      journalLimitBytes: vars.JOURNAL_LIMIT_BYTES,
      ...common,
    };
  if (!vars.MONGODB_URI) throw new ConfigError('Invalid configuration: MONGODB_URI: required when STORE=mongodb');
  return { kind, uri: vars.MONGODB_URI, dbName: vars.MONGODB_DB, timeoutMs: vars.MONGODB_TIMEOUT_MS, ...common };
}
