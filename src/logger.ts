import { type Logger, pino } from 'pino';
import type { Config } from './config.js';

/** JSON logs; pretty ones in development, where a person reads them. */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>): Logger {
  return pino({
    level: config.logLevel,
    redact: ['req.headers.authorization'],
    ...(config.nodeEnv === 'development'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}
