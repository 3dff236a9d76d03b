import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { HttpProblem } from './http-errors.js';

/**
 * A per-client limit on every route registered after it (routes opt out with
 * `config: { rateLimit: false }`); `max` 0 turns it off. Over the limit, a 429 problem.
 */
export const rateLimit = fp<{ max: number }>(
  async (app, { max }) => {
    if (max === 0) return;
    await app.register(fastifyRateLimit, {
      max,
      timeWindow: '1 minute',
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          429,
          'Too many requests',
          `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
        ),
    });
  },
  { name: 'rate-limit', dependencies: ['problem-handler'] },
);
