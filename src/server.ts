import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
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
    // Straight to stderr too: the reason to refuse the start must show even with LOG_LEVEL=silent.
    console.error(`Cannot open the store: ${(error as Error).message}`);
    logger.fatal({ err: error }, 'cannot open the store');
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
}

await main();
