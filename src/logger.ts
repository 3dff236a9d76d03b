import { type DestinationStream, type Logger, pino } from 'pino';
import type { Config } from './config.js';
import { redactCredentials } from './secrets.js';

// Wherever a logged object carries request headers, their credentials are censored.
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key'];
const REDACTED_PATHS = ['req.headers', 'headers', 'request.headers', 'res.headers'].flatMap((at) =>
  SECRET_HEADERS.map((header) => `${at}["${header}"]`),
);

/**
 * JSON logs; pretty ones in development, where a person reads them. No line carries a
 * credential: header values are censored by path, and every line, error messages and
 * stacks included, has the credentials of URIs and bearer tokens replaced by `***`.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '***' },
    hooks: { streamWrite: redactCredentials },
  };
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(config.nodeEnv === 'development'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}
