/** What a store logs through: pino's logger (or Fastify's) fits it. */
export interface StoreLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };
