import type { AddressInfo } from 'node:net';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig, type StoreConfig } from './config.js';
import { createLogger } from './logger.js';
import { createStore } from './repo/create-store.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger(config);
  let store: Awaited<ReturnType<typeof createStore>>;
  try {
    store = await createStore(config.store, logger);
  } catch (error) {
    // Printed once: logged, or straight to stderr where the logger prints nothing
    // (LOG_LEVEL=silent): the reason to refuse the start must always show.
    if (logger.isLevelEnabled('fatal')) logger.fatal({ err: error }, 'cannot open the store');
    else console.error(`Cannot open the store: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const app = await buildApp({ config, store, logger });

  // In-flight requests finish before the store closes; a second signal, or 10 s, forces the exit.
  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'closing after an unexpected error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // The port is taken, say: release the store (and its data folder lock) before exiting.
    console.error(`Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    await app.close();
    await store.close();
    process.exit(1);
  }
  logger.info(startSummary(config, (app.server.address() as AddressInfo).port));
}

/** What a person starting the service needs to know first: where to look and where the data goes. */
function startSummary(config: Config, port: number): string {
  const anyHost = config.host === '0.0.0.0' || config.host === '::';
  const host = anyHost ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const origin = `http://${host}:${port}`;
  return [
    `Dashboard: ${origin}/`,
    `API docs: ${origin}/docs`,
    `Metrics: ${origin}/metrics`,
    `Store: ${describeStore(config.store)}`,
    `Auth: ${config.apiKeys.length === 0 ? 'off (no API_KEYS)' : config.authReads ? 'every request needs a key' : 'mutations need a key'}`,
  ].join(' | ');
}

/** Never the MongoDB URI itself: it may carry credentials. */
function describeStore(store: StoreConfig): string {
  if (store.kind === 'memory') return 'memory (lost on exit)';
  if (store.kind === 'file') return `file in ${store.dataDir}`;
  return `mongodb, database ${store.dbName}`;
}

await main();
